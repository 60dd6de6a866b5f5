package io.taskpool.worker.middleware;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Counts and times tasks per name and outcome ({@code taskpool.tasks} timer, tags task/outcome). */
public final class MetricsMiddleware implements TaskMiddleware {
  private final MeterRegistry registry;

  public MetricsMiddleware(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Object around(TaskContext task, Next next) throws Exception {
    long start = System.nanoTime();
    String outcome = "failed";
    try {
      Object result = next.proceed();
      outcome = "succeeded";
      return result;
    } finally {
      Timer.builder("taskpool.tasks")
          .tag("task", String.valueOf(task.taskName()))
          .tag("outcome", outcome)
          .register(registry)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }
}
