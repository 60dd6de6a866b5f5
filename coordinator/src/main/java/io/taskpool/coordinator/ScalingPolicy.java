package io.taskpool.coordinator;

import java.time.Duration;
import java.time.Instant;

/**
 * How many workers a backlog calls for: {@code ceil(lag / targetLagPerWorker)}, kept within
 * [min, max] and never above the partition count (a classic consumer group gives extra members
 * nothing). Growth is immediate; shrinking waits until the smaller size was wanted for a whole
 * cooldown, so a pool does not thrash. With min 0 an empty queue scales to zero and the first
 * record wakes one worker. Pure: plain values in, a count out.
 */
public final class ScalingPolicy {
  private final int min;
  private final int max;
  private final long targetLagPerWorker;
  private final Duration cooldown;
  private Instant smallerWantedSince;

  public ScalingPolicy(int min, int max, long targetLagPerWorker, Duration cooldown) {
    this.min = min;
    this.max = max;
    this.targetLagPerWorker = targetLagPerWorker;
    this.cooldown = cooldown;
  }

  /** The size to run now, given the backlog, the current size and the task topic's partitions. */
  public int desired(long lag, int current, int partitions, Instant now) {
    int ceiling = Math.max(1, Math.min(max, partitions));
    long wanted = (lag + targetLagPerWorker - 1) / targetLagPerWorker;
    int target = (int) Math.min(Math.max(wanted, min), ceiling);
    if (target >= current) {
      smallerWantedSince = null;
      return target;
    }
    if (smallerWantedSince == null) {
      smallerWantedSince = now;
    }
    return Duration.between(smallerWantedSince, now).compareTo(cooldown) >= 0 ? target : current;
  }
}
