package io.taskpool.core;

/** No result arrived within the caller's timeout; the task may still run (at-least-once). */
public final class TaskTimeoutException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public TaskTimeoutException(String message) {
    super(message);
  }
}
