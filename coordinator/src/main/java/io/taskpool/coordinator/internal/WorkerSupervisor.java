package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.coordinator.WorkerExit;
import io.taskpool.coordinator.WorkerStatus;
import io.taskpool.core.EnvironmentVariables;
import io.taskpool.worker.StatusFile;
import io.taskpool.worker.WorkerMain;
import io.taskpool.worker.WorkerSettings;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's worker processes at the size asked for: starts them ({@code ProcessBuilder},
 * same Java, the configured class path), replaces ones that exit (with growing backoff, so a crash
 * loop does not spin), and stops extra ones gracefully: SIGTERM, which drains, then SIGKILL only
 * after the drain timeout. Called from the coordinator's single loop thread.
 */
public final class WorkerSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int RECENT_EXITS = 10;

  private final CoordinatorOptions options;
  private final Path logDir;
  private final List<Managed> running = new ArrayList<>();
  private final List<Managed> draining = new ArrayList<>();
  private final AtomicLong restarts = new AtomicLong();
  private final PoolMetrics metrics = new PoolMetrics();
  private final ArrayDeque<WorkerExit> exits = new ArrayDeque<>();
  private int nextId = 1;
  private Duration backoff = MIN_BACKOFF;
  private Instant noStartBefore = Instant.MIN;

  public WorkerSupervisor(CoordinatorOptions options, Path logDir) {
    this.options = options;
    this.logDir = logDir;
  }

  /**
   * Brings the pool to {@code desired} workers: replaces dead ones, starts or drains the
   * difference.
   */
  public synchronized void reconcile(int desired, Instant now) {
    reapExited(now);
    while (running.size() > desired) {
      Managed extra = running.remove(running.size() - 1);
      log.info("scaling down: draining worker {} (pid {})", extra.id, extra.process.pid());
      extra.drainStartedAt = now;
      extra.process.destroy();
      draining.add(extra);
    }
    while (running.size() < desired && !now.isBefore(noStartBefore)) {
      running.add(start(now));
    }
    finishDraining(now);
  }

  private void reapExited(Instant now) {
    for (Iterator<Managed> it = running.iterator(); it.hasNext(); ) {
      Managed worker = it.next();
      if (!worker.process.isAlive()) {
        it.remove();
        int code = worker.process.exitValue();
        boolean recycled = code == 0 && options.maxTasksPerWorker() > 0;
        WorkerExit exit = departed(worker, code, recycled ? "recycled" : "crashed", now);
        if (recycled) {
          log.info(
              "worker {} finished its {} tasks; starting a fresh one",
              worker.id,
              options.maxTasksPerWorker());
        } else {
          restarts.incrementAndGet();
          // A worker that died young is a crash loop in the making: back off.
          boolean young =
              Duration.between(worker.startedAt, now).compareTo(Duration.ofSeconds(10)) < 0;
          backoff = young ? min(backoff.multipliedBy(2), MAX_BACKOFF) : MIN_BACKOFF;
          noStartBefore = now.plus(young ? backoff : Duration.ZERO);
          log.warn(
              "worker {} (pid {}) exited with {}; replacing it{}. Its log ({}) ends:{}",
              worker.id,
              worker.process.pid(),
              code,
              young ? " in " + backoff.toSeconds() + " s" : "",
              logFile(worker.id),
              "\n  " + String.join("\n  ", exit.lastLines()));
        }
      }
    }
  }

  private void finishDraining(Instant now) {
    for (Iterator<Managed> it = draining.iterator(); it.hasNext(); ) {
      Managed worker = it.next();
      if (!worker.process.isAlive()) {
        it.remove();
        departed(worker, worker.process.exitValue(), "drained", now);
      } else if (Duration.between(worker.drainStartedAt, now).compareTo(options.drainTimeout())
          > 0) {
        log.warn(
            "worker {} still draining after {}; killing it (its tasks are redelivered)",
            worker.id,
            options.drainTimeout());
        worker.process.destroyForcibly();
        it.remove();
        departed(worker, -9, "killed", now);
      }
    }
  }

  private Managed start(Instant now) {
    String id = options.hostId() + "-" + nextId++;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.workerJvmOptions());
    command.add("-cp");
    command.add(options.workerClassPath());
    command.add(WorkerMain.class.getName());
    // Settings go through a file only this user can read: Kafka SASL configs and the like would
    // otherwise show on the command line, to every local user through ps.
    Properties settings = new Properties();
    settings.setProperty(
        WorkerSettings.BOOTSTRAP_SERVERS.key(), options.kafka().bootstrapServers());
    options
        .kafka()
        .clientProperties()
        .forEach((key, value) -> settings.setProperty("kafka." + key, value));
    settings.setProperty(WorkerSettings.NAMESPACE.key(), options.namespace().name());
    settings.setProperty(WorkerSettings.QUEUE.key(), options.queue());
    settings.setProperty(WorkerSettings.WORKER_ID.key(), id);
    settings.setProperty(
        WorkerSettings.STATUS_FILE.key(), statusFile(id).toAbsolutePath().toString());
    settings.setProperty(
        WorkerSettings.METRICS_FILE.key(), metricsFile(id).toAbsolutePath().toString());
    settings.setProperty(WorkerSettings.HOST_ID.key(), options.hostId());
    settings.setProperty(WorkerSettings.QUEUE_MODE.key(), options.queueMode().toString());
    settings.setProperty(
        WorkerMain.EXIT_WITH_PARENT, String.valueOf(ProcessHandle.current().pid()));
    if (options.maxTasksPerWorker() > 0) {
      settings.setProperty(
          WorkerSettings.MAX_TASKS.key(), String.valueOf(options.maxTasksPerWorker()));
    }
    options.workerSettings().forEach(settings::setProperty);
    command.add("--config=" + writeSettings(id, settings).toAbsolutePath());
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(logFile(id).toFile());
      // The settings file is the whole truth: this host's TASKPOOL_* variables must not override
      // it.
      EnvironmentVariables.ALL.forEach(builder.environment()::remove);
      Process process = builder.start();
      log.info("started worker {} (pid {})", id, process.pid());
      return new Managed(id, process, now);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a worker process: " + e.getMessage(), e);
    }
  }

  private Path logFile(String workerId) {
    return logDir.resolve(workerId + ".log");
  }

  // The end of a worker's log, so why it died shows where the operator looks first.
  private static List<String> lastLines(Path file, int count) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(log unreadable: " + e.getMessage() + ")");
    }
  }

  private Path writeSettings(String workerId, Properties settings) {
    Path file = logDir.resolve(workerId + ".properties");
    try {
      Files.createDirectories(logDir);
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        settings.store(out, "settings of worker " + workerId + ", written by its coordinator");
      }
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write the settings of worker " + workerId + " to " + file + ": " + e.getMessage(),
          e);
    }
  }

  public synchronized List<WorkerStatus> workers(Instant now) {
    List<WorkerStatus> all = new ArrayList<>();
    running.forEach(w -> all.add(status(w, now, w.process.isAlive() ? "running" : "exited")));
    draining.forEach(w -> all.add(status(w, now, "draining")));
    return all;
  }

  private WorkerStatus status(Managed worker, Instant now, String state) {
    return new WorkerStatus(
        worker.id,
        worker.process.pid(),
        Duration.between(worker.startedAt, now).toSeconds(),
        StatusFile.tasksDone(statusFile(worker.id)),
        state);
  }

  /**
   * A worker that left: its last counts stay in the pool's metrics, its exit among the recent ones.
   */
  private WorkerExit departed(Managed worker, int code, String reason, Instant now) {
    metrics.retire(metricsFile(worker.id));
    Path log = logFile(worker.id);
    WorkerExit exit =
        new WorkerExit(
            worker.id,
            worker.process.pid(),
            code,
            reason,
            now.toEpochMilli(),
            log.toAbsolutePath().toString(),
            lastLines(log, 5));
    exits.addFirst(exit);
    while (exits.size() > RECENT_EXITS) {
      exits.removeLast();
    }
    return exit;
  }

  /** The last worker exits of this host, newest first. */
  public synchronized List<WorkerExit> exits() {
    return List.copyOf(exits);
  }

  /**
   * This host's pool metrics: {@code own} (the coordinator's) with every worker's summed in, those
   * that left included (see {@link PoolMetrics}).
   */
  public synchronized String metricsText(String own) {
    List<Path> live = new ArrayList<>();
    running.forEach(w -> live.add(metricsFile(w.id)));
    draining.forEach(w -> live.add(metricsFile(w.id)));
    return metrics.render(own, live);
  }

  private Path metricsFile(String workerId) {
    return logDir.resolve(workerId + ".metrics");
  }

  private Path statusFile(String workerId) {
    return logDir.resolve(workerId + ".status");
  }

  public synchronized int size() {
    return running.size();
  }

  public long restarts() {
    return restarts.get();
  }

  /** Drains every worker (SIGTERM), waits up to the drain timeout, then kills what is left. */
  @Override
  public synchronized void close() {
    List<Managed> all = new ArrayList<>(running);
    all.addAll(draining);
    running.clear();
    draining.clear();
    all.forEach(w -> w.process.destroy());
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    for (Managed worker : all) {
      try {
        if (!worker.process.waitFor(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          worker.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.process.destroyForcibly();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static final class Managed {
    final String id;
    final Process process;
    final Instant startedAt;
    Instant drainStartedAt;

    Managed(String id, Process process, Instant startedAt) {
      this.id = id;
      this.process = process;
      this.startedAt = startedAt;
    }
  }
}
