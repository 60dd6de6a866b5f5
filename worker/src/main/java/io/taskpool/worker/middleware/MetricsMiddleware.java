package io.taskpool.worker.middleware;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.taskpool.worker.middleware.TaskMetrics.Outcome;

/**
 * Counts and times each task's whole run through the worker, retries and dead-lettering included
 * (it sits outermost), in {@link TaskMetrics}.
 */
public final class MetricsMiddleware implements TaskMiddleware {
  private final TaskMetrics metrics;

  public MetricsMiddleware(TaskMetrics metrics) {
    this.metrics = metrics;
  }

  /** Meters in {@code registry} without tags of their own, every task name counted as itself. */
  public MetricsMiddleware(MeterRegistry registry) {
    this(new TaskMetrics(registry, Tags.empty(), name -> true));
  }

  @Override
  public Object around(TaskContext task, Next next) {
    long start = System.nanoTime();
    String name = task.taskName();
    metrics.started(name);
    try {
      Object result = next.proceed();
      metrics.finished(name, System.nanoTime() - start, Outcome.SUCCEEDED);
      return result;
    } catch (AbandonedTaskException e) {
      metrics.finished(name, System.nanoTime() - start, Outcome.ABANDONED);
      throw e;
    } catch (RuntimeException | Error e) {
      metrics.finished(name, System.nanoTime() - start, Outcome.FAILED);
      throw e;
    }
  }
}
