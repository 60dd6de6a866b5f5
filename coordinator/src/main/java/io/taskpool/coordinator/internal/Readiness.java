package io.taskpool.coordinator.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a coordinator can do its job right now, for {@code /readyz}: its last cycle reached Kafka
 * (and Redis, when it shares the pool) and succeeded, recently enough. Thread-safe.
 */
public final class Readiness {
  private final Duration stale;
  private Instant lastSuccess;
  private String lastFailure = "no cycle has run yet";

  /**
   * @param stale how old the last successful cycle may be (a few poll intervals)
   */
  public Readiness(Duration stale) {
    this.stale = stale;
  }

  public synchronized void succeeded(Instant now) {
    lastSuccess = now;
    lastFailure = null;
  }

  public synchronized void failed(String reason) {
    lastFailure = reason;
  }

  /** Null when ready, else why not. */
  public synchronized String notReadyBecause(Instant now) {
    if (lastFailure != null) {
      return lastFailure;
    }
    if (lastSuccess == null || Duration.between(lastSuccess, now).compareTo(stale) > 0) {
      return "no successful cycle since "
          + lastSuccess
          + " (more than "
          + stale.toSeconds()
          + " s)";
    }
    return null;
  }
}
