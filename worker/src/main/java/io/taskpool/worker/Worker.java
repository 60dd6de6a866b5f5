package io.taskpool.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskpool.core.QueueMode;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.ClusterFeatures;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.worker.internal.ControlListener;
import io.taskpool.worker.internal.KafkaPartitionedTaskSource;
import io.taskpool.worker.internal.KafkaSharedTaskSource;
import io.taskpool.worker.internal.KeyedLanes;
import io.taskpool.worker.internal.MetricsExposition;
import io.taskpool.worker.internal.OpenedResources;
import io.taskpool.worker.internal.PrefetchBound;
import io.taskpool.worker.internal.ReplySender;
import io.taskpool.worker.internal.StatusFileWriter;
import io.taskpool.worker.internal.TaskRunner;
import io.taskpool.worker.middleware.DeadLetterMiddleware;
import io.taskpool.worker.middleware.MetricsMiddleware;
import io.taskpool.worker.middleware.RetryMiddleware;
import io.taskpool.worker.middleware.TaskMetrics;
import io.taskpool.worker.middleware.TaskMiddleware;
import io.taskpool.worker.middleware.TimeLimitMiddleware;
import io.taskpool.worker.spi.TaskSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a queue's worker pool: fetches tasks from Kafka, runs the registered handlers on
 * {@code concurrency} threads (equal keys in order), sends results to each caller's reply topic and
 * commits a task's offset only after its result or dead letter was written. So a worker killed with
 * SIGKILL loses nothing: its unfinished tasks go to another worker.
 *
 * <pre>{@code
 * Worker worker = new Worker(WorkerOptions.builder().bootstrapServers("localhost:9092").build());
 * worker.register("square", Integer.class, n -> n * n).start();
 * }</pre>
 *
 * <p>{@link #stop}, {@link #close}, SIGTERM (via {@link WorkerMain}) and the control topic's stop
 * command all drain: stop fetching, finish in-flight tasks, commit, leave the group.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** How long the poll loop may take to hand out more work; sizes the unstarted-task bound. */
  private static final Duration PREFETCH_REFILL = Duration.ofMillis(50);

  /**
   * Lifecycle: NEW → RUNNING ({@link #start}) → STOPPED (drained, everything closed); or NEW →
   * STOPPED when stopped before starting or when starting failed. Each step happens once.
   */
  public enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final WorkerOptions options;
  private final JsonCodec json = new JsonCodec();
  private final HandlerRegistry handlers = new HandlerRegistry(json);
  private final List<TaskMiddleware> userMiddleware = new ArrayList<>();
  private final MeterRegistry metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private State state = State.NEW;
  private boolean closed;
  private TaskSource source;
  private TaskRunner runner;
  private GroupProtocol groupProtocol;
  private volatile String failure;
  private volatile int metricsPort = -1;

  /**
   * A worker whose meters ({@link TaskMetrics}) are in a registry of its own: a Prometheus one when
   * {@code metricsPort} or {@code metricsFile} is set, else a simple one ({@link #metrics()}).
   */
  public Worker(WorkerOptions options) {
    this(
        options,
        options.metricsPort() >= 0 || options.metricsFile() != null
            ? MetricsExposition.prometheusRegistry()
            : new SimpleMeterRegistry());
  }

  public Worker(WorkerOptions options, MeterRegistry metrics) {
    this.options = options.validate();
    this.metrics = metrics;
  }

  /** Registers a handler; see {@link HandlerRegistry#register(String, Class, TaskHandler)}. */
  public <I, O> Worker register(String name, Class<I> inputType, TaskHandler<I, O> handler) {
    handlers.register(name, inputType, handler);
    return this;
  }

  /** The handler registry, for two-argument handlers and {@link TaskModule} discovery. */
  public HandlerRegistry handlers() {
    return handlers;
  }

  /** Adds middleware around every task, inside retries (so it runs on each attempt). */
  public Worker use(TaskMiddleware middleware) {
    userMiddleware.add(middleware);
    return this;
  }

  /**
   * Creates missing topics, joins the consumer group and starts fetching on a thread of its own. A
   * worker starts once; if starting fails, what it opened is closed again and the worker is {@link
   * State#STOPPED}.
   *
   * @throws IllegalStateException when the worker was started, stopped or closed before
   * @throws io.taskpool.core.UnsupportedClusterException when the brokers lack what the queue mode
   *     needs (share groups for SHARED)
   * @throws TaskpoolException when Kafka cannot be reached
   */
  public synchronized Worker start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "worker "
              + options.workerId()
              + " is "
              + state.name().toLowerCase(Locale.ROOT)
              + ": a worker starts once");
    }
    OpenedResources opened = new OpenedResources();
    try {
      String taskTopic = prepareTopics();
      open(taskTopic, opened);
    } catch (RuntimeException | Error e) {
      opened.closeAfter(e);
      metricsPort = -1;
      state = State.STOPPED;
      stopped.countDown();
      throw e;
    }
    return this;
  }

  // The queue's topics exist, and the group protocol the cluster supports is chosen.
  private String prepareTopics() {
    String taskTopic = options.namespace().taskTopic(options.queue());
    try (TopicAdmin topics = new TopicAdmin(options.kafka())) {
      ClusterFeatures features = topics.features();
      if (options.queueMode() == QueueMode.SHARED) {
        features.requireShareGroups();
      }
      groupProtocol = options.groupProtocol();
      if (options.queueMode() == QueueMode.PARTITIONED
          && groupProtocol == GroupProtocol.CONSUMER
          && !features.consumerGroupProtocol()) {
        log.info(
            "the cluster (Kafka {}) lacks the consumer group protocol (KIP-848, Kafka 4.0+):"
                + " joining with the classic protocol instead",
            features.release());
        groupProtocol = GroupProtocol.CLASSIC;
      }
      topics.ensureTopic(taskTopic, options.taskPartitions(), Map.of());
      topics.ensureTopic(options.namespace().deadLetterTopic(options.queue()), 1, Map.of());
      topics.ensureTopic(options.namespace().controlTopic(), 1, Map.of());
      if (options.queueMode() == QueueMode.SHARED) {
        // A new share group starts at the log end unless told otherwise: tasks queued before the
        // first worker came must run too.
        topics.setShareGroupConfigs(shareGroup(), Map.of("share.auto.offset.reset", "earliest"));
      }
    }
    return taskTopic;
  }

  // Opens the producer, threads, servers and control consumer, each recorded in opened until the
  // poll thread runs: from then on that thread owns them and closes them when it ends.
  private void open(String taskTopic, OpenedResources opened) {
    String deadLetterTopic = options.namespace().deadLetterTopic(options.queue());
    ReplySender replies =
        opened.add(
            new ReplySender(
                new KafkaProducer<>(
                    producerConfig(), new ByteArraySerializer(), new ByteArraySerializer()),
                json,
                options.workerId(),
                deadLetterTopic,
                maxRequestSize(),
                ReplySender.undeliverableCounter(metrics, meterTags())));
    ScheduledExecutorService limitTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "taskpool-time-limits-" + options.queue());
              t.setDaemon(true);
              return t;
            });
    opened.add(limitTimer::shutdownNow);
    AtomicReference<TaskRunner> self = new AtomicReference<>();
    TaskMetrics taskMetrics =
        new TaskMetrics(metrics, meterTags(), name -> handlers.find(name) != null);
    List<TaskMiddleware> chain = new ArrayList<>();
    chain.add(new MetricsMiddleware(taskMetrics));
    chain.add(new DeadLetterMiddleware(replies, taskMetrics));
    chain.add(new RetryMiddleware(options.retry(), taskMetrics));
    chain.add(
        new TimeLimitMiddleware(
            limitTimer,
            name -> handlers.limits(name).orElse(options.timeLimits()),
            (task, limit) -> self.get().hardLimitExceeded(task, limit),
            taskMetrics));
    chain.addAll(userMiddleware);
    // The share loops check room each on their own before a poll: together they may overshoot
    // max.in.flight by a poll each, which the lanes must hold rather than hand back.
    int laneCapacity =
        options.queueMode() == QueueMode.PARTITIONED
            ? options.maxInFlight()
            : options.maxInFlight() + options.concurrency() * sharePollRecords();
    KeyedLanes lanes =
        new KeyedLanes(
            options.concurrency(),
            "taskpool-task-" + options.queue(),
            options.queueMode() == QueueMode.PARTITIONED,
            laneCapacity);
    opened.add(() -> lanes.shutdown(Duration.ZERO));
    PrefetchBound prefetch =
        new PrefetchBound(options.concurrency(), options.maxInFlight(), PREFETCH_REFILL);
    runner =
        new TaskRunner(
            handlers,
            chain,
            replies,
            lanes,
            json,
            options.retry(),
            new TaskRunner.Limits(
                options.maxInFlight(),
                prefetch,
                options.maxTasks(),
                name -> handlers.limits(name).orElse(options.timeLimits()).hard() != null),
            done -> {
              if (options.maxTasks() > 0 && done == options.maxTasks()) {
                log.info(
                    "worker {} ran its {} tasks: draining to make room for a fresh one",
                    options.workerId(),
                    done);
                stop(false);
              }
            },
            this::fail);
    self.set(runner);
    source =
        options.queueMode() == QueueMode.SHARED
            ? new KafkaSharedTaskSource(
                shareConsumerConfig(),
                taskTopic,
                options.drainTimeout(),
                options.maxInFlight(),
                sharePollRecords(),
                options.concurrency())
            : new KafkaPartitionedTaskSource(
                consumerConfig(), taskTopic, options.commitInterval(), options.drainTimeout());
    StatusFileWriter statusFile =
        options.statusFile() == null
            ? null
            : opened.add(new StatusFileWriter(options.statusFile(), runner::completed));
    MetricsExposition exposition =
        options.metricsPort() < 0 && options.metricsFile() == null
            ? null
            : opened.add(
                MetricsExposition.start(metrics, options.metricsPort(), options.metricsFile()));
    metricsPort = exposition == null ? -1 : exposition.port();
    ControlListener control =
        opened.add(
            ControlListener.open(
                options.kafka(),
                options.namespace().controlTopic(),
                options.workerId(),
                options.queue(),
                json,
                message -> stop(message.waitForIdle())));
    Thread pollThread =
        new Thread(
            () -> {
              try {
                source.run(runner);
              } catch (RuntimeException e) {
                log.error("task source failed; worker stops", e);
                // A crash, not a drain: exit non-zero (WorkerMain) so a supervisor replaces it.
                recordFailure("task source failed: " + e);
              } finally {
                // A failed worker may have a stuck handler thread: do not wait the drain out for
                // it.
                lanes.shutdown(failure != null ? Duration.ofSeconds(1) : options.drainTimeout());
                limitTimer.shutdownNow();
                replies.close();
                control.close();
                if (statusFile != null) {
                  statusFile.close();
                }
                if (exposition != null) {
                  exposition.close();
                }
                log.info(
                    "worker {} stopped after {} tasks", options.workerId(), runner.completed());
                terminated();
              }
            },
            "taskpool-poll-" + options.queue());
    state = State.RUNNING;
    pollThread.start();
    log.info(
        "worker {} started on {} with {} handler thread(s); tasks: {}",
        options.workerId(),
        taskTopic,
        options.concurrency(),
        handlers.names());
  }

  /**
   * Asks the worker to drain and stop; returns at once (see {@link #awaitTermination}). A worker
   * stopped before it started never starts; one already stopping or stopped is left as it is.
   *
   * @param whenIdle true to first finish every task waiting in its partitions
   */
  public synchronized void stop(boolean whenIdle) {
    if (state == State.NEW) {
      state = State.STOPPED;
      stopped.countDown();
    } else if (state == State.RUNNING) {
      if (!whenIdle && options.queueMode() == QueueMode.SHARED) {
        // A share group takes single records back: only running tasks need to finish.
        runner.releaseUnstarted();
      }
      source.stop(whenIdle);
    }
  }

  // The poll thread has drained and closed everything.
  private void terminated() {
    synchronized (this) {
      state = State.STOPPED;
    }
    stopped.countDown();
  }

  /**
   * The worker cannot go on (a handler stuck past its hard time limit, a task that could be neither
   * completed nor dead-lettered): drain now and report it, so its supervisor replaces it.
   */
  private void fail(String reason) {
    recordFailure(reason);
    log.error("worker {} must be replaced: {}", options.workerId(), reason);
    stop(false);
  }

  // The first reason counts.
  private synchronized void recordFailure(String reason) {
    if (failure == null) {
      failure = reason;
    }
  }

  /** Why the worker stopped itself to be replaced, or null if it did not. */
  public synchronized String failure() {
    return failure;
  }

  /** Where the worker is in its life; {@link State#STOPPED} once it has drained and closed all. */
  public synchronized State state() {
    return state;
  }

  /** Waits until the worker has drained and left its group (at once if it never started). */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Drains now and waits for it (bounded by the drain timeout plus a margin). Idempotent: a second
   * call returns at once, whether or not the first one's drain has finished.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stop(false);
    try {
      awaitTermination(options.drainTimeout().plusSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tasks this worker finished (processed or dead-lettered). */
  public long completedTasks() {
    return runner == null ? 0 : runner.completed();
  }

  public MeterRegistry metrics() {
    return metrics;
  }

  /**
   * The port the worker serves {@code /metrics} on once started, or -1 (see {@code metricsPort}).
   */
  public int metricsPort() {
    return metricsPort;
  }

  /**
   * Tags of every taskpool meter of this worker: bounded values, no worker id (it changes with each
   * restart).
   */
  private Tags meterTags() {
    return Tags.of(
        "namespace",
        options.namespace().name(),
        "queue",
        options.queue(),
        "host",
        options.hostId());
  }

  public WorkerOptions options() {
    return options;
  }

  private Properties consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, options.namespace().workerGroup(options.queue()));
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "taskpool-worker-" + options.workerId());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(1000, options.maxInFlight()));
    // Partitions a coordinator adds (allowAddPartitions) reach the group's assignment once the
    // leader's metadata is refreshed: within 5 s, not the default 5 min.
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
    if (groupProtocol == GroupProtocol.CONSUMER) {
      // Assignment, session and heartbeat times are the broker's with this protocol.
      config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    } else {
      config.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
      // A dead worker's partitions move on within ~10 s instead of the default 45 s.
      config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
      config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    }
    return options.kafka().clientConfig(config);
  }

  private int maxRequestSize() {
    String configured =
        options.kafka().clientProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    try {
      return configured == null ? 1_048_576 : Integer.parseInt(configured.trim());
    } catch (NumberFormatException e) {
      return 1_048_576;
    }
  }

  private String shareGroup() {
    return options.namespace().shareGroup(options.queue());
  }

  /**
   * Records each share consumer (one per handler thread) takes per poll: a small batch, or one
   * worker hoards (and keeps renewing) records that idle workers could run.
   */
  private int sharePollRecords() {
    return Math.max(1, Math.min(16, options.maxInFlight() / options.concurrency()));
  }

  private Properties shareConsumerConfig() {
    return options
        .kafka()
        .clientConfig(
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                shareGroup(),
                ConsumerConfig.CLIENT_ID_CONFIG,
                "taskpool-worker-" + options.workerId(),
                "share.acknowledgement.mode",
                "explicit",
                "share.acquire.mode",
                "record_limit",
                // Renewed records come back with the next fetch response: do not let it idle 500
                // ms.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                sharePollRecords()));
  }

  private Properties producerConfig() {
    return options
        .kafka()
        .clientConfig(
            Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                "taskpool-worker-" + options.workerId(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                // A reply whose topic is gone must not hold a handler thread for a minute.
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                10_000));
  }
}
