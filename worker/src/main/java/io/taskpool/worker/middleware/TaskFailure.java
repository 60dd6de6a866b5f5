package io.taskpool.worker.middleware;

import io.taskpool.core.TaskpoolException;

/**
 * A failed attempt on its way out through the middleware: {@link #getCause()} is what the handler
 * (or a middleware, such as a time limit) threw, checked or not, so the chain needs no {@code
 * throws Exception}. Middleware that looks at the failure (retries, dead letters) reads the cause;
 * middleware that does not lets it pass.
 */
public final class TaskFailure extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public TaskFailure(Throwable cause) {
    super(String.valueOf(cause.getMessage()), cause);
  }

  /** {@code error} as a failure: itself if it already is one. */
  public static TaskFailure of(Throwable error) {
    return error instanceof TaskFailure failure ? failure : new TaskFailure(error);
  }

  /** What failed: the cause of a {@code TaskFailure}, else {@code error} itself. */
  public static Throwable causeOf(Throwable error) {
    return error instanceof TaskFailure failure ? failure.getCause() : error;
  }
}
