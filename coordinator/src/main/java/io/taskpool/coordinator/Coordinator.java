package io.taskpool.coordinator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskpool.coordinator.CoordinatorStatus.Sample;
import io.taskpool.coordinator.internal.StatusServer;
import io.taskpool.coordinator.internal.WorkerSupervisor;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.kafka.ConsumerLag;
import io.taskpool.core.kafka.TopicAdmin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's pool of worker processes at the right size: every poll interval it reads the
 * queue's consumer lag with the Admin API, asks the {@link ScalingPolicy} for a size and has the
 * supervisor start, replace or drain worker processes. Serves its status as JSON, an HTML page and
 * Prometheus metrics. One loop thread; {@link #close()} drains every worker.
 *
 * <p>Across hosts (registry, leader, quotas) is not built yet: each coordinator sizes its own pool.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  private static final int HISTORY = 150;

  private final CoordinatorOptions options;
  private final Clock clock;
  private final ScalingPolicy policy;
  private final WorkerSupervisor supervisor;
  private final TopicAdmin topics;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService loop;
  private final ArrayDeque<Sample> history = new ArrayDeque<>();
  private final AtomicReference<CoordinatorStatus> status = new AtomicReference<>();
  private final StatusServer server;
  private long lastCommitted = -1;
  private Instant lastSampleAt;
  private int desired;

  public Coordinator(CoordinatorOptions options, Path logDir) {
    this(options, logDir, Clock.systemUTC());
  }

  Coordinator(CoordinatorOptions options, Path logDir, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.policy = new ScalingPolicy(options.minWorkers(), options.maxWorkers(), options.targetLagPerWorker(), options.cooldown());
    this.supervisor = new WorkerSupervisor(options, logDir);
    this.topics = new TopicAdmin(options.kafka());
    topics.ensureTopic(taskTopic(), 6, Map.of());
    Gauge.builder("taskpool.coordinator.workers", supervisor, WorkerSupervisor::size).tag("host", options.hostId()).register(metrics);
    Gauge.builder("taskpool.queue.lag", status, s -> s.get() == null ? 0 : s.get().lag()).tag("queue", options.queue()).register(metrics);
    Gauge.builder("taskpool.coordinator.restarts", supervisor, WorkerSupervisor::restarts).tag("host", options.hostId()).register(metrics);
    this.server = new StatusServer(options.statusPort(), status::get, metrics::scrape);
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "taskpool-coordinator");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts sizing the pool (first check at once) and serving the status page. */
  public Coordinator start() {
    server.start();
    loop.scheduleWithFixedDelay(this::cycle, 0, options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    log.info("coordinator {} sizing {} between {} and {} workers; status on http://localhost:{}/", options.hostId(), taskTopic(), options.minWorkers(), options.maxWorkers(), server.port());
    return this;
  }

  private void cycle() {
    try {
      Instant now = clock.instant();
      Admin admin = topics.admin();
      ConsumerLag lag = ConsumerLag.read(admin, options.namespace().workerGroup(options.queue()), taskTopic());
      desired = policy.desired(lag.total(), supervisor.size(), lag.partitions(), now);
      supervisor.reconcile(desired, now);
      record(now, lag);
    } catch (TaskpoolException e) {
      log.warn("coordinator cycle failed (will retry): {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("coordinator cycle failed (will retry)", e);
    }
  }

  private void record(Instant now, ConsumerLag lag) {
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
    status.set(new CoordinatorStatus(options.hostId(), options.namespace().name(), options.queue(), desired, supervisor.workers(now), new TreeMap<>(lag.lagByPartition()), lag.total(), perSecond, supervisor.restarts(), deadLetters, List.copyOf(history), now.toEpochMilli()));
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

  /** Stops sizing, drains every worker (SIGTERM, then SIGKILL after the drain timeout). */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    supervisor.close();
    server.close();
    topics.close();
  }
}
