package io.taskpool.core;

/**
 * A time limit passed. On the caller's side: no result arrived within its timeout (the task may
 * still run, at-least-once). On the worker's side: a handler ran past its soft time limit and was
 * interrupted, or past its hard limit and was abandoned; the attempt failed and the retry policy
 * decides what follows.
 */
public final class TaskTimeoutException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public TaskTimeoutException(String message) {
    super(message);
  }

  public TaskTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
