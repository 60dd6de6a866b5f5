package io.taskpool.core.sync;

import io.taskpool.core.TaskpoolException;

/**
 * A write or unlock by a holder that lost its lock: its lease ran out (a GC pause, SIGSTOP, a slow
 * network) and another holder or a fast-path write came after it. The write did not happen.
 */
public final class StaleLockException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public StaleLockException(String message) {
    super(message);
  }
}
