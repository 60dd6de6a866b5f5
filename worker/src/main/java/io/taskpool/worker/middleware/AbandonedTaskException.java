package io.taskpool.worker.middleware;

import io.taskpool.core.TaskpoolException;

/**
 * The attempt's outcome was already settled elsewhere (its hard time limit passed and the task was
 * re-queued or dead-lettered): whatever this thread returns late is discarded. Middleware lets it
 * pass untouched: no retry, no dead letter.
 */
public final class AbandonedTaskException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public AbandonedTaskException(String message) {
    super(message);
  }
}
