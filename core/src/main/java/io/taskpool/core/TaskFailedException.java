package io.taskpool.core;

/**
 * A task failed for good on a worker (after its retries) or could not be run at all. Carries the
 * worker-side error type and message, as Python's {@code AsyncResult.get()} re-raises the worker's
 * exception.
 */
public final class TaskFailedException extends TaskpoolException {
  private static final long serialVersionUID = 1L;
  private final String taskId;
  private final String errorType;
  private final String errorMessage;

  public TaskFailedException(String taskId, String errorType, String errorMessage) {
    super("task " + taskId + " failed: " + errorType + ": " + errorMessage);
    this.taskId = taskId;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }

  /** The id the task was submitted under. */
  public String taskId() {
    return taskId;
  }

  /** Fully qualified class name of the exception thrown on the worker. */
  public String errorType() {
    return errorType;
  }

  /** The worker-side exception's message. */
  public String errorMessage() {
    return errorMessage;
  }
}
