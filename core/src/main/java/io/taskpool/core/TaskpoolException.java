package io.taskpool.core;

/**
 * Root of every exception taskpool throws; unchecked so task code stays free of {@code throws
 * Exception}.
 */
public class TaskpoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TaskpoolException(String message) {
    super(message);
  }

  public TaskpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
