package io.taskpool.worker;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;

/**
 * How often and how patiently a failing task is retried before it is dead-lettered: {@code
 * maxAttempts} tries in all, waiting {@code initialBackoff * multiplier^(n-1)} (at most {@code
 * maxBackoff}) after the n-th failure.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
  /** 3 attempts, 200 ms then 400 ms apart. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(200), 2.0, Duration.ofSeconds(30));

  /** No retries: the first failure is final. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new InvalidOptionException("retry maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new InvalidOptionException("retry backoff must not be negative");
    }
    if (multiplier < 1.0) {
      throw new InvalidOptionException("retry multiplier must be >= 1.0, was " + multiplier);
    }
  }

  /** The wait after the {@code failedAttempt}-th failure (1-based). */
  public Duration backoffAfter(int failedAttempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, failedAttempt - 1);
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }
}
