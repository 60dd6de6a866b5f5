package io.taskpool.worker.internal;

import java.time.Duration;

/**
 * How many fetched tasks a worker may hold that have not started yet: enough to keep every handler
 * thread busy while the poll loop comes round to hand out more (Little's law: threads x refill time
 * / task time), at least one per thread, at most the cap. So 0-1 ms tasks stream in deep batches
 * while 100 ms tasks stay in Kafka, where a worker that joins can take them.
 *
 * <p>The task time is a moving average of finished tasks ({@link #taskFinished}); until the first
 * one finishes the bound is the floor, so a new worker never hoards a backlog of unknown cost.
 * Thread-safe: lane threads report, the poll thread reads.
 */
public final class PrefetchBound {
  /** Weight of the newest task in the moving average of task time. */
  private static final double WEIGHT = 0.1;

  private final int threads;
  private final int cap;
  private final long refillNanos;
  private volatile double meanTaskNanos = Double.NaN;

  /**
   * @param threads handler threads
   * @param cap the most unstarted tasks ever held (from {@code maxInFlight})
   * @param refill how long the poll loop may take to hand out more work
   */
  public PrefetchBound(int threads, int cap, Duration refill) {
    this.threads = threads;
    this.cap = Math.max(threads, cap);
    this.refillNanos = refill.toNanos();
  }

  /** Reports one finished task's handler time. */
  public void taskFinished(long nanos) {
    double mean = meanTaskNanos;
    // Racy read-modify-write between lane threads: a lost sample only smooths the average.
    meanTaskNanos = Double.isNaN(mean) ? nanos : mean + WEIGHT * (nanos - mean);
  }

  /** Unstarted tasks to hold now. */
  public int unstartedLimit() {
    return limit(threads, meanTaskNanos, refillNanos, cap);
  }

  /** The bound for a mean task time ({@code NaN}: none finished yet); see the class comment. */
  static int limit(int threads, double meanTaskNanos, long refillNanos, int cap) {
    if (Double.isNaN(meanTaskNanos)) {
      return Math.min(threads, cap);
    }
    double perRefill = threads * (double) refillNanos / Math.max(1.0, meanTaskNanos);
    long wanted = threads + (long) Math.ceil(Math.min(perRefill, cap));
    return (int) Math.min(cap, wanted);
  }
}
