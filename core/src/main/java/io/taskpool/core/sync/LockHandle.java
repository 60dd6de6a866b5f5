package io.taskpool.core.sync;

/**
 * A held lock, released by {@link #close()}: Python's {@code with lock:} as try-with-resources.
 * {@link #token()} is the fencing token of this acquisition; pass the handle to guarded writes.
 */
public interface LockHandle extends AutoCloseable {
  /** Monotonically increasing over all acquisitions of this lock, across processes. */
  long token();

  /** Releases the lock. @throws StaleLockException if the lease ran out before */
  @Override
  void close();
}
