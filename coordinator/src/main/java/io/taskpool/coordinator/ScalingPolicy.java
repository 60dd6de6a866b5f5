package io.taskpool.coordinator;

import java.time.Duration;
import java.time.Instant;

/**
 * How many workers a backlog calls for: {@code ceil(lag / targetLagPerWorker)}, kept within [min,
 * max]. The caller caps max at the partition count where extra consumers would get nothing (a
 * classic consumer group). Growth is immediate; shrinking waits until the smaller size was wanted
 * for a whole cooldown, so a pool does not thrash. With min 0 an empty queue scales to zero and the
 * first record wakes one worker. Pure: plain values in, a count out.
 */
public final class ScalingPolicy {
  private final long targetLagPerWorker;
  private final Duration cooldown;
  private Instant smallerWantedSince;

  public ScalingPolicy(long targetLagPerWorker, Duration cooldown) {
    this.targetLagPerWorker = targetLagPerWorker;
    this.cooldown = cooldown;
  }

  /**
   * The size to run now, given the backlog, the current size and the bounds (max wins over min).
   */
  public int desired(long lag, int current, int min, int max, Instant now) {
    long wanted = (lag + targetLagPerWorker - 1) / targetLagPerWorker;
    int target = (int) Math.min(Math.max(wanted, min), Math.max(max, 0));
    // Over the ceiling (a host came back with its old quota while another took its share) is not
    // backlog noise to smooth out: back to the ceiling at once.
    if (target >= current || current > max) {
      smallerWantedSince = null;
      return target;
    }
    if (smallerWantedSince == null) {
      smallerWantedSince = now;
    }
    return Duration.between(smallerWantedSince, now).compareTo(cooldown) >= 0 ? target : current;
  }
}
