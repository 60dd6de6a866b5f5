package io.taskpool.worker.spi;

import java.time.Duration;

/** Where a {@link TaskSource} puts the tasks it fetched: the worker's execution engine. */
public interface TaskSink {
  /** Starts running {@code delivery}; returns at once. */
  void accept(Delivery delivery);

  /** Tasks accepted and not yet acknowledged. */
  int inFlight();

  /**
   * How many more deliveries the sink wants now: it holds only as much unstarted work as its
   * threads can start soon (see {@code PrefetchBound}), and at most its in-flight cap.
   */
  int room();

  /** True when the sink wants no more tasks for now (the source should pause fetching). */
  default boolean saturated() {
    return room() <= 0;
  }

  /** Waits until nothing is in flight; false if {@code timeout} passed first. */
  boolean awaitIdle(Duration timeout);
}
