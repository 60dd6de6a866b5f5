package io.taskpool.worker.middleware;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A worker's task meters, one set per task name, tagged {@code namespace}, {@code queue}, {@code
 * host} and {@code task}. In Prometheus: {@code taskpool_tasks_started_total}, {@code
 * _succeeded_total}, {@code _failed_total} (for good, after retries), {@code _retried_total},
 * {@code _dead_lettered_total}, {@code _timed_out_total} (an attempt past its soft or hard limit),
 * {@code taskpool_task_duration_seconds} (a histogram, tag {@code outcome}) and {@code
 * taskpool_tasks_in_flight}. A name no handler is registered for counts as {@code unknown}, so a
 * client sending random names cannot grow the label set. Thread-safe.
 */
public final class TaskMetrics {
  /** Meters that count nothing, for middleware used without a registry. */
  public static final TaskMetrics NONE = new TaskMetrics(null, Tags.empty(), name -> true);

  static final String UNKNOWN_TASK = "unknown";
  // Buckets of the duration histogram: tasks run from microseconds to minutes.
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;
  private final Tags tags;
  private final Predicate<String> registered;
  private final AtomicInteger inFlight = new AtomicInteger();
  // Looking a meter up in the registry builds and hashes its id: a worker profile showed it per
  // task.
  private final Map<String, Meters> byTask = new ConcurrentHashMap<>();

  /**
   * @param tags tags of every meter ({@code namespace}, {@code queue}, {@code host})
   * @param registered whether a task name has a handler
   */
  public TaskMetrics(MeterRegistry registry, Tags tags, Predicate<String> registered) {
    this.registry = registry;
    this.tags = tags;
    this.registered = registered;
    if (registry != null) {
      Gauge.builder("taskpool.tasks.in.flight", inFlight, AtomicInteger::get)
          .description("tasks running on this worker now")
          .tags(tags)
          .register(registry);
    }
  }

  void started(String task) {
    Meters m = meters(task);
    if (m != null) {
      inFlight.incrementAndGet();
      m.started.increment();
    }
  }

  void finished(String task, long nanos, Outcome outcome) {
    Meters m = meters(task);
    if (m == null) {
      return;
    }
    inFlight.decrementAndGet();
    switch (outcome) {
      case SUCCEEDED -> m.succeeded.increment();
      case FAILED -> m.failed.increment();
      case ABANDONED -> {}
    }
    m.duration.apply(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  void retried(String task) {
    Meters m = meters(task);
    if (m != null) {
      m.retried.increment();
    }
  }

  void deadLettered(String task) {
    Meters m = meters(task);
    if (m != null) {
      m.deadLettered.increment();
    }
  }

  /** An attempt of {@code task} ran past its soft or hard time limit. */
  public void timedOut(String task) {
    Meters m = meters(task);
    if (m != null) {
      m.timedOut.increment();
    }
  }

  /** How a task's run through the worker ended. */
  enum Outcome {
    SUCCEEDED,
    FAILED,
    /** Settled elsewhere: past its hard limit, put back on the queue for another attempt. */
    ABANDONED
  }

  private Meters meters(String task) {
    if (registry == null) {
      return null;
    }
    String name = task != null && registered.test(task) ? task : UNKNOWN_TASK;
    return byTask.computeIfAbsent(name, n -> new Meters(registry, tags.and("task", n)));
  }

  private static final class Meters {
    final Counter started;
    final Counter succeeded;
    final Counter failed;
    final Counter retried;
    final Counter deadLettered;
    final Counter timedOut;
    final Function<Outcome, Timer> duration;

    Meters(MeterRegistry registry, Tags tags) {
      started =
          counter(
              registry,
              tags,
              "taskpool.tasks.started",
              "tasks a handler started (a chunk counts once)");
      succeeded =
          counter(
              registry, tags, "taskpool.tasks.succeeded", "tasks whose handler returned a result");
      failed =
          counter(
              registry,
              tags,
              "taskpool.tasks.failed",
              "tasks that failed for good, after their retries");
      retried =
          counter(
              registry,
              tags,
              "taskpool.tasks.retried",
              "attempts that failed and were tried again");
      deadLettered =
          counter(
              registry,
              tags,
              "taskpool.tasks.dead.lettered",
              "tasks written to the dead-letter topic");
      timedOut =
          counter(
              registry,
              tags,
              "taskpool.tasks.timed.out",
              "attempts that ran past their soft or hard time limit");
      Map<Outcome, Timer> timers = new ConcurrentHashMap<>();
      duration =
          outcome ->
              timers.computeIfAbsent(
                  outcome,
                  o ->
                      Timer.builder("taskpool.task.duration")
                          .description("time from a task's start to its outcome, retries included")
                          .tags(tags)
                          .tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                          .serviceLevelObjectives(BUCKETS)
                          .register(registry));
    }

    private static Counter counter(MeterRegistry registry, Tags tags, String name, String help) {
      return Counter.builder(name).description(help).tags(tags).register(registry);
    }
  }
}
