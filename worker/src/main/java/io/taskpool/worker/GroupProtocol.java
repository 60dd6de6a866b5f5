package io.taskpool.worker;

import io.taskpool.core.InvalidOptionException;
import java.util.Locale;

/**
 * The consumer-group protocol a {@code PARTITIONED} worker joins with. Either way partitions move
 * incrementally: a rebalance revokes only the partitions that change owner.
 */
public enum GroupProtocol {
  /** The classic protocol with the cooperative-sticky assignor; every broker version has it. */
  CLASSIC,
  /**
   * KIP-848's protocol ({@code group.protocol=consumer}, Kafka 4.0+): assignment on the broker, no
   * group-wide barrier. Session and heartbeat times are the broker's ({@code
   * group.consumer.session.timeout.ms}). On a broker without it the worker falls back to {@link
   * #CLASSIC} and says so.
   */
  CONSUMER;

  public static GroupProtocol parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(
          "group protocol must be CLASSIC or CONSUMER, was '" + text + "'");
    }
  }
}
