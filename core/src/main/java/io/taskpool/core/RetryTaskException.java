package io.taskpool.core;

/**
 * Thrown by a handler to ask for a retry (with the worker's backoff) without an ERROR log: an
 * expected, transient condition such as a busy downstream service.
 */
public class RetryTaskException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public RetryTaskException(String message) {
    super(message);
  }

  public RetryTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
