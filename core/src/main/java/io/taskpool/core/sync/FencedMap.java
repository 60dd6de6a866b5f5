package io.taskpool.core.sync;

import java.util.Map;

/**
 * A small string map that only the current holder of its lock may rewrite, and only with the newest
 * fencing token: a writer whose lease ran out (paused, cut off) while another took the lock over is
 * refused instead of overwriting the newer holder's data. Reads need no lock. Made for decisions
 * one elected process publishes to many, such as the coordinator leader's per-host quotas.
 */
public interface FencedMap {
  /** The lock whose holder may write. */
  DistributedLock lock();

  /**
   * Replaces the whole map in one atomic step.
   *
   * @param held the caller's hold of {@link #lock()}
   * @throws StaleLockException if the caller no longer holds the lock or a newer token was accepted
   */
  void replace(LockHandle held, Map<String, String> entries);

  /** The map as last written (empty if never). */
  Map<String, String> read();
}
