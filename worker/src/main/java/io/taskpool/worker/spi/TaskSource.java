package io.taskpool.worker.spi;

/**
 * Where a worker's tasks come from. Everything above it (handlers, middleware, replies, dead
 * letters, metrics) is the same whichever source runs: a classic consumer group ({@code
 * PARTITIONED}, per-key order) or a Kafka share group ({@code SHARED}).
 *
 * <p>Contract: {@link #run} fetches on the calling thread and passes every record to the sink; a
 * record counts as done only after its {@link Delivery#acknowledge}; on {@link #stop} the source
 * stops fetching, waits for in-flight tasks (bounded by the drain timeout), records what finished
 * and leaves its group before {@code run} returns.
 */
public interface TaskSource {
  /** Fetches until stopped; returns after a clean drain. */
  void run(TaskSink sink);

  /**
   * Asks {@link #run} to stop. Thread-safe.
   *
   * @param whenIdle false: stop now (after in-flight tasks); true: keep going until no task is
   *     waiting, then stop
   */
  void stop(boolean whenIdle);
}
