package io.taskpool.core.sync;

/**
 * What a lock tells about itself, for metrics: how long acquisitions waited, how long holds lasted,
 * and leases the watchdog could not extend. Called on the thread concerned (renewals: the
 * watchdog's thread), so keep it quick. Every method does nothing unless overridden.
 */
public interface LockObserver {
  /** Observes nothing. */
  LockObserver NONE = new LockObserver() {};

  /** {@code lock} was acquired after waiting {@code waitNanos} (re-entries are not reported). */
  default void acquired(String lock, long waitNanos) {}

  /** An attempt on {@code lock} gave up after waiting {@code waitNanos}. */
  default void gaveUp(String lock, long waitNanos) {}

  /** {@code lock} was released after being held {@code heldNanos}. */
  default void released(String lock, long heldNanos) {}

  /**
   * The watchdog could not extend {@code lock}'s lease: Redis unreachable, or the lease was lost.
   */
  default void renewalFailed(String lock, String why) {}
}
