package io.taskpool.core;

/**
 * A task that can never succeed however often it is tried: malformed payload, unknown task name, or
 * a handler saying so. It goes straight to the dead-letter topic.
 */
public class NonRetriableTaskException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public NonRetriableTaskException(String message) {
    super(message);
  }

  public NonRetriableTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
