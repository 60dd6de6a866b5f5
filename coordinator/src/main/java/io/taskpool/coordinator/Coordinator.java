package io.taskpool.coordinator;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskpool.coordinator.CoordinatorStatus.Sample;
import io.taskpool.coordinator.internal.DeadLetterTail;
import io.taskpool.coordinator.internal.GroupMembers;
import io.taskpool.coordinator.internal.Membership;
import io.taskpool.coordinator.internal.Readiness;
import io.taskpool.coordinator.internal.RedisMembership;
import io.taskpool.coordinator.internal.SoloMembership;
import io.taskpool.coordinator.internal.StatusServer;
import io.taskpool.coordinator.internal.TaskCounts;
import io.taskpool.coordinator.internal.WorkerSupervisor;
import io.taskpool.core.Namespace;
import io.taskpool.core.QueueMode;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.kafka.ConsumerLag;
import io.taskpool.core.kafka.ShareGroupBacklog;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.core.redis.MicrometerLockObserver;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's pool of worker processes at the right size. Every poll interval it reads the
 * queue's backlog with the Admin API and heartbeats into the {@link Membership}; the leader (this
 * host alone, or whichever coordinator holds the leader lock in Redis) turns the backlog into a
 * pool size with the {@link ScalingPolicy}, splits it between the live hosts with the {@link
 * QuotaPlanner} and publishes the quotas; each host's supervisor then starts, replaces or drains
 * worker processes to match its quota. Serves its status as JSON, an HTML page and Prometheus
 * metrics. One loop thread; {@link #close()} drains every worker.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  private static final int HISTORY = 150;

  private final CoordinatorOptions options;
  private final Clock clock;
  private final ScalingPolicy policy;
  private final WorkerSupervisor supervisor;
  private final TopicAdmin topics;
  private final RedisSync redis;
  private final Membership membership;
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge lagByPartition;
  private final ScheduledExecutorService loop;
  private final ArrayDeque<Sample> history = new ArrayDeque<>();
  private final AtomicReference<CoordinatorStatus> status = new AtomicReference<>();
  private final StatusServer server;
  private final Readiness readiness;
  private final TaskCounts taskCounts = new TaskCounts();
  private final DeadLetterTail deadLetterTail;

  /** NEW until {@link #start()}, then RUNNING; CLOSED is final and {@link #close()} runs once. */
  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private State state = State.NEW;
  private long lastCommitted = -1;
  private Instant lastSampleAt;
  private int quota;

  public Coordinator(CoordinatorOptions options, Path logDir) {
    this(options, logDir, Clock.systemUTC());
  }

  // The workers' own setting if one is given, so the coordinator and its workers agree.
  private static int taskPartitions(CoordinatorOptions options) {
    Properties settings = new Properties();
    settings.putAll(options.workerSettings());
    return WorkerSettings.TASK_PARTITIONS
        .intValue(settings)
        .orElse(Namespace.DEFAULT_TASK_PARTITIONS);
  }

  Coordinator(CoordinatorOptions options, Path logDir, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.quota = options.minWorkers();
    this.policy = new ScalingPolicy(options.targetLagPerWorker(), options.cooldown());
    this.supervisor = new WorkerSupervisor(options, logDir);
    // Whatever a failed start opened, it closes: a coordinator that cannot start leaks nothing.
    this.topics = new TopicAdmin(options.kafka());
    RedisSync connected = null;
    StatusServer server = null;
    try {
      if (options.queueMode() == QueueMode.SHARED) {
        topics.features().requireShareGroups();
      }
      topics.ensureTopic(taskTopic(), taskPartitions(options), Map.of());
      if (options.redis() != null) {
        // The leader lock's waits, holds and failed renewals show on /metrics.
        connected =
            RedisSync.connect(
                options.redis().withLockWatchdogTimeout(options.heartbeatTtl()),
                options.namespace(),
                new MicrometerLockObserver(
                    metrics,
                    Tags.of(
                        "namespace",
                        options.namespace().name(),
                        "queue",
                        options.queue(),
                        "host",
                        options.hostId())));
      }
      this.readiness = new Readiness(options.pollInterval().multipliedBy(3).plusSeconds(5));
      server =
          new StatusServer(
              options.statusPort(),
              status::get,
              () -> supervisor.metricsText(metrics.scrape()),
              () -> readiness.notReadyBecause(clock.instant()));
      this.deadLetterTail =
          new DeadLetterTail(options.kafka(), options.namespace().deadLetterTopic(options.queue()));
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (connected != null) {
        connected.close();
      }
      topics.close();
      throw e;
    }
    this.server = server;
    this.redis = connected;
    this.membership =
        redis != null
            ? new RedisMembership(
                redis,
                options.namespace(),
                options.queue(),
                options.hostId(),
                options.heartbeatTtl())
            : new SoloMembership(options.hostId());
    Tags tags =
        Tags.of(
            "namespace",
            options.namespace().name(),
            "queue",
            options.queue(),
            "host",
            options.hostId());
    Gauge.builder("taskpool.coordinator.workers", supervisor, WorkerSupervisor::size)
        .description("worker processes this coordinator runs")
        .tags(tags)
        .register(metrics);
    Gauge.builder("taskpool.coordinator.quota", this, c -> c.quota)
        .description("worker processes the leader gave this host")
        .tags(tags)
        .register(metrics);
    FunctionCounter.builder("taskpool.worker.restarts", supervisor, WorkerSupervisor::restarts)
        .description("worker processes that exited unasked and were started again")
        .tags(tags)
        .register(metrics);
    this.lagByPartition =
        MultiGauge.builder("taskpool.queue.lag")
            .description("tasks waiting in a partition of the queue")
            .tags(tags)
            .register(metrics);
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "taskpool-coordinator");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts sizing the pool (first check at once) and serving the status page.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized Coordinator start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "coordinator "
              + options.hostId()
              + " is "
              + state.name().toLowerCase(java.util.Locale.ROOT)
              + ": start() runs once");
    }
    state = State.RUNNING;
    server.start();
    loop.scheduleWithFixedDelay(
        this::cycle, 0, options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "coordinator {} sizing {} between {} and {} workers{}; status on http://localhost:{}/",
        options.hostId(),
        taskTopic(),
        options.minWorkers(),
        options.maxWorkers(),
        redis != null ? " with the other hosts in Redis" : "",
        server.port());
    return this;
  }

  private void cycle() {
    try {
      Instant now = clock.instant();
      ConsumerLag lag =
          options.queueMode() == QueueMode.SHARED
              ? ShareGroupBacklog.read(
                  topics.admin(), options.namespace().shareGroup(options.queue()), taskTopic())
              : ConsumerLag.read(
                  topics.admin(), options.namespace().workerGroup(options.queue()), taskTopic());
      List<HostStatus> hosts =
          membership.heartbeat(
              new HostStatus(
                  options.hostId(),
                  options.minWorkers(),
                  options.maxWorkers(),
                  quota,
                  supervisor.workers(now),
                  "http://localhost:" + server.port() + "/",
                  now.toEpochMilli()));
      if (membership.lead()) {
        plan(lag, hosts, now);
      }
      quota = membership.quota(options.hostId()).orElse(quota);
      supervisor.reconcile(quota, now);
      record(now, lag, hosts);
      readiness.succeeded(now);
    } catch (TaskpoolException e) {
      readiness.failed(e.getMessage());
      log.warn("coordinator cycle failed (will retry): {}", e.getMessage());
    } catch (RuntimeException e) {
      readiness.failed(e.toString());
      log.error("coordinator cycle failed (will retry)", e);
    }
  }

  /** The leader's step: the pool's size from the backlog, split into quotas for the live hosts. */
  private void plan(ConsumerLag lag, List<HostStatus> hosts, Instant now) {
    int min = hosts.stream().mapToInt(HostStatus::minWorkers).sum();
    int max = hosts.stream().mapToInt(HostStatus::maxWorkers).sum();
    boolean cappedByPartitions =
        options.queueMode() == QueueMode.PARTITIONED && !options.allowAddPartitions();
    int ceiling = cappedByPartitions ? Math.min(max, Math.max(1, lag.partitions())) : max;
    int current = hosts.stream().mapToInt(HostStatus::quota).sum();
    int desired = policy.desired(lag.total(), current, min, ceiling, now);
    if (options.queueMode() == QueueMode.PARTITIONED
        && options.allowAddPartitions()
        && desired > lag.partitions()) {
      log.info("adding partitions to {}: {} -> {}", taskTopic(), lag.partitions(), desired);
      topics.growPartitions(taskTopic(), desired);
    }
    Map<String, Integer> quotas = QuotaPlanner.plan(desired, hosts);
    if (desired != current) {
      log.info(
          "pool of {}: {} workers for a backlog of {} -> {}",
          taskTopic(),
          current,
          lag.total(),
          quotas);
    }
    membership.publish(quotas);
  }

  private void record(Instant now, ConsumerLag lag, List<HostStatus> hosts) {
    double perSecond = 0;
    if (lastCommitted >= 0 && lastSampleAt != null) {
      double seconds = Duration.between(lastSampleAt, now).toMillis() / 1000.0;
      perSecond = seconds > 0 ? Math.max(0, lag.committedTotal() - lastCommitted) / seconds : 0;
    }
    lastCommitted = lag.committedTotal();
    lastSampleAt = now;
    history.addLast(new Sample(now.toEpochMilli(), lag.total(), perSecond, supervisor.size()));
    while (history.size() > HISTORY) {
      history.removeFirst();
    }
    long deadLetters = topics.endOffsetTotal(options.namespace().deadLetterTopic(options.queue()));
    String leader = membership.leader().orElse("");
    lagByPartition.register(
        lag.lagByPartition().entrySet().stream()
            .map(
                e ->
                    MultiGauge.Row.of(
                        Tags.of("partition", String.valueOf(e.getKey())), e.getValue()))
            .toList(),
        true);
    List<WorkerStatus> workers = supervisor.workers(now);
    List<GroupMember> members = groupMembers(workers, hosts);
    if (members != null) {
      Set<String> memberIds =
          members.stream().map(GroupMember::clientId).collect(Collectors.toSet());
      // Started and alive, but not yet in the group: still joining.
      workers =
          workers.stream()
              .map(
                  w ->
                      w.state().equals("running")
                              && !memberIds.contains(GroupMembers.CLIENT_ID_PREFIX + w.id())
                          ? w.withState("joining")
                          : w)
              .toList();
    }
    List<TaskStats> tasks = taskCounts.read(supervisor.metricsText(""), now);
    status.set(
        new CoordinatorStatus(
            options.hostId(),
            options.namespace().name(),
            options.queue(),
            leader,
            quota,
            workers,
            hosts,
            new TreeMap<>(lag.lagByPartition()),
            lag.total(),
            perSecond,
            supervisor.restarts(),
            deadLetters,
            List.copyOf(history),
            now.toEpochMilli(),
            tasks,
            recentDeadLetters(deadLetters),
            members == null ? List.of() : members,
            supervisor.exits()));
  }

  /** The queue's group as the brokers describe it; null (and logged) if they cannot say now. */
  private List<GroupMember> groupMembers(List<WorkerStatus> own, List<HostStatus> hosts) {
    Map<String, String> coordinatorOf = new HashMap<>();
    hosts.forEach(h -> h.workers().forEach(w -> coordinatorOf.put(w.id(), h.host())));
    own.forEach(w -> coordinatorOf.put(w.id(), options.hostId()));
    String group =
        options.queueMode() == QueueMode.SHARED
            ? options.namespace().shareGroup(options.queue())
            : options.namespace().workerGroup(options.queue());
    try {
      return GroupMembers.describe(topics.admin(), group, options.queueMode(), coordinatorOf);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("cannot describe group {}: {}", group, e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private List<DeadLetterSummary> recentDeadLetters(long endOffset) {
    try {
      return deadLetterTail.recent(endOffset);
    } catch (RuntimeException e) {
      log.debug("cannot read the last dead letters: {}", e.getMessage());
      return List.of();
    }
  }

  /** The latest status (null before the first cycle). */
  public CoordinatorStatus status() {
    return status.get();
  }

  /** Port of the status server ({@code /}, {@code /status}, {@code /metrics}). */
  public int statusPort() {
    return server.port();
  }

  private String taskTopic() {
    return options.namespace().taskTopic(options.queue());
  }

  /**
   * Stops sizing, leaves the registry (handing the lead on at once), drains every worker (SIGTERM,
   * then SIGKILL after the drain timeout). A second call does nothing.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    try {
      // The leader lock belongs to the loop thread, so it is released there.
      loop.submit(membership::close).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException
        | TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      log.warn(
          "coordinator {} could not leave the registry cleanly: {}",
          options.hostId(),
          e.getMessage());
    }
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    supervisor.close();
    server.close();
    deadLetterTail.close();
    topics.close();
    if (redis != null) {
      redis.close();
    }
  }
}
