package io.taskpool.worker.middleware;

import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.RetryTaskException;
import io.taskpool.worker.RetryPolicy;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a failing task with exponential backoff, up to the policy's attempts, then lets the last
 * error through. It waits on the task's own thread, so later tasks with the same key keep their
 * order behind it and the offset is not committed meanwhile (a crash re-runs the task).
 */
public final class RetryMiddleware implements TaskMiddleware {
  private static final Logger log = LoggerFactory.getLogger(RetryMiddleware.class);
  private final RetryPolicy policy;
  private final TaskMetrics metrics;

  public RetryMiddleware(RetryPolicy policy) {
    this(policy, TaskMetrics.NONE);
  }

  public RetryMiddleware(RetryPolicy policy, TaskMetrics metrics) {
    this.policy = policy;
    this.metrics = metrics;
  }

  @Override
  public Object around(TaskContext task, Next next) {
    while (true) {
      try {
        return next.proceed();
      } catch (AbandonedTaskException settledElsewhere) {
        throw settledElsewhere;
      } catch (RuntimeException thrown) {
        // The handler's failure, or a middleware's own exception (a RetryTaskException among them).
        TaskFailure failure = TaskFailure.of(thrown);
        Throwable e = failure.getCause();
        // A handler's Error (a bug, a missing class) would fail again: no retry.
        if (e instanceof NonRetriableTaskException
            || e instanceof Error
            || task.attempt() >= policy.maxAttempts()) {
          throw failure;
        }
        Duration backoff = policy.backoffAfter(task.attempt());
        if (e instanceof RetryTaskException) {
          log.debug(
              "task {} ({}) asked for a retry after attempt {}: {}",
              task.taskId(),
              task.taskName(),
              task.attempt(),
              e.getMessage());
        } else {
          log.warn(
              "task {} ({}) failed on attempt {} of {}, retrying in {} ms: {}",
              task.taskId(),
              task.taskName(),
              task.attempt(),
              policy.maxAttempts(),
              backoff.toMillis(),
              e.toString());
        }
        metrics.retried(task.taskName());
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException stopping) {
          Thread.currentThread().interrupt();
          throw failure;
        }
        task.nextAttempt();
      }
    }
  }
}
