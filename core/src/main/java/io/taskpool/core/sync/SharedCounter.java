package io.taskpool.core.sync;

import java.util.function.LongUnaryOperator;

/**
 * Python's {@code multiprocessing.Value('i', 0)}, shared by every process that names it and guarded
 * by the {@link DistributedLock} of the same name. Increments, adds and compare-and-set take a fast
 * path: one atomic Redis script that refuses while anyone holds the lock (then the call takes the
 * lock itself), so they stay mutually exclusive with every holder. Writes made under a held lock
 * are fenced: a holder whose lease ran out gets a {@link StaleLockException} instead of overwriting
 * newer values.
 */
public interface SharedCounter {
  String name();

  /** The current value (0 if never written). */
  long get();

  long incrementAndGet();

  long addAndGet(long delta);

  /** Sets the value under the lock. */
  void set(long value);

  boolean compareAndSet(long expected, long newValue);

  /** Read-modify-write of arbitrary code, under the lock; returns the new value. */
  long update(LongUnaryOperator function);

  /**
   * Writes {@code value} on behalf of a holder of the guarding lock.
   *
   * @throws StaleLockException if {@code held} no longer holds the lock or a newer token wrote
   *     since
   */
  void write(LockHandle held, long value);

  /** The guarding lock, for critical sections of your own around {@link #write}. */
  DistributedLock lock();
}
