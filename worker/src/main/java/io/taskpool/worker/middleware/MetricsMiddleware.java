package io.taskpool.worker.middleware;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Counts and times tasks per name and outcome ({@code taskpool.tasks} timer, tags task/outcome). */
public final class MetricsMiddleware implements TaskMiddleware {
  private final MeterRegistry registry;
  // Registering a meter builds and hashes its id and tags; a worker profile showed it on every task.
  private final Map<String, Timer> succeeded = new ConcurrentHashMap<>();
  private final Map<String, Timer> failed = new ConcurrentHashMap<>();

  public MetricsMiddleware(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Object around(TaskContext task, Next next) throws Exception {
    long start = System.nanoTime();
    String name = String.valueOf(task.taskName());
    try {
      Object result = next.proceed();
      timer(succeeded, name, "succeeded").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return result;
    } catch (Exception e) {
      timer(failed, name, "failed").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      throw e;
    }
  }

  private Timer timer(Map<String, Timer> cache, String task, String outcome) {
    return cache.computeIfAbsent(task, t -> Timer.builder("taskpool.tasks").tag("task", t).tag("outcome", outcome).register(registry));
  }
}
