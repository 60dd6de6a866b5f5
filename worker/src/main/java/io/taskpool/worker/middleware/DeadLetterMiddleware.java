package io.taskpool.worker.middleware;

import io.taskpool.core.TaskpoolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a task that failed for good to the dead-letter topic, with its error, before the error
 * travels on (to the caller's reply); the write is durable before the task's offset can be
 * committed, so nothing is dropped silently.
 */
public final class DeadLetterMiddleware implements TaskMiddleware {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterMiddleware.class);

  /** Durably stores a failed task with its error; blocks until stored. */
  @FunctionalInterface
  public interface DeadLetterWriter {
    void write(TaskContext task, Throwable error);
  }

  private final DeadLetterWriter writer;
  private final TaskMetrics metrics;

  public DeadLetterMiddleware(DeadLetterWriter writer) {
    this(writer, TaskMetrics.NONE);
  }

  public DeadLetterMiddleware(DeadLetterWriter writer, TaskMetrics metrics) {
    this.writer = writer;
    this.metrics = metrics;
  }

  @Override
  public Object around(TaskContext task, Next next) {
    try {
      return next.proceed();
    } catch (AbandonedTaskException settledElsewhere) {
      throw settledElsewhere;
    } catch (RuntimeException failed) {
      // A handler's failure, an Error among them (a bug, a missing class, a deep recursion: that
      // task's failure, not the worker's), or a middleware's own; out-of-memory and the like go on
      // up.
      Throwable e = TaskFailure.causeOf(failed);
      log.error(
          "task {} ({}) failed for good after {} attempt(s); dead-lettering it: {}",
          task.taskId(),
          task.taskName(),
          task.attempt(),
          e.toString());
      writer.write(task, e);
      metrics.deadLettered(task.taskName());
      throw new DeadLetteredException(e);
    }
  }

  /** The task is in the dead-letter topic; {@link #getCause()} is its error. */
  public static final class DeadLetteredException extends TaskpoolException {
    private static final long serialVersionUID = 1L;

    DeadLetteredException(Throwable cause) {
      super(String.valueOf(cause.getMessage()), cause);
    }
  }
}
