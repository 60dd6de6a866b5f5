package io.taskpool.worker.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which offsets may be committed when tasks finish out of order: per partition, the offset after
 * the longest finished prefix of what was delivered. A task still running holds back the commit
 * of everything after it, so a crash re-delivers it (and perhaps some finished ones: at-least-once,
 * never at-most-once). Pure logic, single-threaded, partition type left open.
 */
public final class OffsetTracker<P> {
  private final Map<P, PartitionState> partitions = new HashMap<>();

  /** Records that {@code offset} of {@code partition} was handed out; offsets per partition rise. */
  public void delivered(P partition, long offset) {
    partitions.computeIfAbsent(partition, p -> new PartitionState()).delivered(offset);
  }

  /** Records that {@code offset} finished; unknown partitions (revoked meanwhile) are ignored. */
  public void completed(P partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state != null) {
      state.completed(offset);
    }
  }

  /** Positions to commit (next offset to read) of partitions that advanced since the last call. */
  public Map<P, Long> takeCommittable() {
    Map<P, Long> result = new HashMap<>();
    partitions.forEach(
        (partition, state) -> {
          long position = state.committablePosition();
          if (position > state.lastTaken) {
            state.lastTaken = position;
            result.put(partition, position);
          }
        });
    return result;
  }

  /**
   * A commit of {@code positions} failed (e.g. during a rebalance): report them again next time,
   * or a partition whose last tasks finished would never get its final commit.
   */
  public void commitFailed(Map<P, Long> positions) {
    positions.forEach(
        (partition, position) -> {
          PartitionState state = partitions.get(partition);
          if (state != null && state.lastTaken == position) {
            state.lastTaken = state.lastConfirmed;
          }
        });
  }

  /** A commit of {@code positions} succeeded. */
  public void commitSucceeded(Map<P, Long> positions) {
    positions.forEach(
        (partition, position) -> {
          PartitionState state = partitions.get(partition);
          if (state != null) {
            state.lastConfirmed = Math.max(state.lastConfirmed, position);
          }
        });
  }

  /** Every partition's committable position, reported or not: what a final, synchronous commit sends. */
  public Map<P, Long> allCommittable() {
    Map<P, Long> result = new HashMap<>();
    partitions.forEach((partition, state) -> result.put(partition, state.committablePosition()));
    return result;
  }

  /** Forgets partitions this worker no longer owns. */
  public void remove(Collection<P> gone) {
    gone.forEach(partitions::remove);
  }

  /** Delivered tasks not yet finished, over all partitions. */
  public int pending() {
    int total = 0;
    for (PartitionState state : partitions.values()) {
      total += state.outstanding.size();
    }
    return total;
  }

  private static final class PartitionState {
    private final ArrayDeque<Long> outstanding = new ArrayDeque<>();
    private final Set<Long> finishedEarly = new HashSet<>();
    private long lastDelivered = -1;
    private long lastTaken = -1;
    private long lastConfirmed = -1;

    void delivered(long offset) {
      if (lastTaken < 0) {
        // The first fetched offset is where the group already stood: nothing new to commit.
        lastTaken = offset;
        lastConfirmed = offset;
      }
      outstanding.addLast(offset);
      lastDelivered = offset;
    }

    void completed(long offset) {
      Long head = outstanding.peekFirst();
      if (head == null || offset < head) {
        return;
      }
      if (head == offset) {
        outstanding.pollFirst();
        while (!outstanding.isEmpty() && finishedEarly.remove(outstanding.peekFirst())) {
          outstanding.pollFirst();
        }
      } else {
        finishedEarly.add(offset);
      }
    }

    long committablePosition() {
      Long head = outstanding.peekFirst();
      return head != null ? head : lastDelivered + 1;
    }
  }
}
