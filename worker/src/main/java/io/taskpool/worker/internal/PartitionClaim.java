package io.taskpool.worker.internal;

import java.time.Duration;

/**
 * A worker's hold on one partition between its assignment and its revocation: the revoke plan in
 * one object. Tasks of the partition start only while the claim holds ({@link #tryStart}); once it
 * is {@link #withdraw withdrawn} no further task starts here (they are dropped unrun, for the next
 * owner), and the revocation waits only for the tasks already running ({@link #awaitStarted}). A
 * partition assigned again gets a new claim, so work queued under an old one never runs.
 * Thread-safe.
 */
public final class PartitionClaim {
  private boolean withdrawn;
  private int running;

  /** True if the task may start (and counts as running until {@link #finished}); false: drop it. */
  public synchronized boolean tryStart() {
    if (withdrawn) {
      return false;
    }
    running++;
    return true;
  }

  /** A task started under this claim is done (acknowledged, or given up). */
  public synchronized void finished() {
    running--;
    if (running == 0) {
      notifyAll();
    }
  }

  /** No task of this claim starts from now on. */
  public synchronized void withdraw() {
    withdrawn = true;
  }

  public synchronized boolean withdrawn() {
    return withdrawn;
  }

  /** Tasks started and not finished. */
  public synchronized int running() {
    return running;
  }

  /**
   * Waits until every task started under this claim finished; false if the deadline passed first.
   * Call after {@link #withdraw}, or new tasks may keep it busy.
   */
  public synchronized boolean awaitStarted(long deadlineNanos) throws InterruptedException {
    while (running > 0) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** The deadline {@code timeout} from now, for {@link #awaitStarted}. */
  public static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }
}
