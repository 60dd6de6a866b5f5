package io.taskpool.core;

/** An option object failed {@code validate()}; the message names the offending setting. */
public final class InvalidOptionException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public InvalidOptionException(String message) {
    super(message);
  }
}
