package io.taskpool.core;

import java.util.Locale;

/**
 * How a queue's workers share its task topic. Producers, the wire format and results are the same
 * in both modes; only how workers take records differs.
 */
public enum QueueMode {
  /** A classic consumer group: one worker per partition at most, tasks with equal keys in order. */
  PARTITIONED,
  /**
   * A Kafka share group (KIP-932): records handed out one by one with per-record acknowledgement,
   * any number of workers, no order; a slow or poison record holds up nothing else.
   */
  SHARED;

  /** Parses {@code partitioned} / {@code shared}, any case. */
  public static QueueMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(
          "queue mode must be PARTITIONED or SHARED, was '" + text + "'");
    }
  }
}
