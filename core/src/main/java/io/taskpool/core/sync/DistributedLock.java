package io.taskpool.core.sync;

import java.time.Duration;
import java.util.Optional;

/**
 * A mutual-exclusion lock shared by every process that names it, built on Redisson's {@code RLock}:
 * re-entrant within a thread, owned by the thread that took it, held under a lease so a crashed
 * holder frees it by itself (watchdog-renewed while the holder is alive, or a fixed lease with
 * {@link #tryAcquire}). Each acquisition gets a fencing token that guarded writes check.
 *
 * <pre>{@code
 * try (LockHandle held = lock.acquire()) {
 *   counter.write(held, counter.get() + 1);
 * }
 * }</pre>
 */
public interface DistributedLock {
  String name();

  /** Blocks until held (watchdog lease). */
  LockHandle acquire();

  /**
   * Waits up to {@code wait}; once taken the lock is watchdog-renewed until released, so a live
   * holder keeps it as long as it likes and a dead one loses it after the watchdog timeout.
   */
  Optional<LockHandle> tryAcquire(Duration wait);

  /** Waits up to {@code wait}; the lock is held at most {@code lease} unless released before. */
  Optional<LockHandle> tryAcquire(Duration wait, Duration lease);

  /** Python's {@code lock.acquire()}; pair with {@link #unlock()} in a finally block. */
  void lock();

  /**
   * @return true if the lock was taken within {@code wait}, held at most {@code lease}
   */
  boolean tryLock(Duration wait, Duration lease);

  /** Python's {@code lock.release()}. @throws StaleLockException if the lease ran out before */
  void unlock();

  /** True if the calling thread holds the lock. */
  boolean isHeldByCurrentThread();

  /**
   * The fencing token of the calling thread's current hold. @throws IllegalStateException if not
   * held
   */
  long currentToken();
}
