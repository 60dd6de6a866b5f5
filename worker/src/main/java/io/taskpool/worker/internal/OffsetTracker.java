package io.taskpool.worker.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which offsets may be committed when tasks finish out of order: per partition, the offset after
 * the longest finished prefix of what was delivered, plus the offsets that finished beyond it (for
 * the commit's metadata, see {@link FinishedOffsetCodec}). A task still running holds back the
 * committed position, but not the record of what finished after it: a partition's next owner skips
 * those. Pure logic, single-threaded, partition type left open.
 */
public final class OffsetTracker<P> {
  private static final long[] NONE = new long[0];
  private final Map<P, PartitionState> partitions = new HashMap<>();

  /** What a commit of one partition says: the position and the offsets finished beyond it. */
  public record CommitPoint(long position, long[] finishedAbove) {
    public static CommitPoint of(long position) {
      return new CommitPoint(position, NONE);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CommitPoint that
          && position == that.position
          && Arrays.equals(finishedAbove, that.finishedAbove);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(position) * 31 + Arrays.hashCode(finishedAbove);
    }

    @Override
    public String toString() {
      return position + (finishedAbove.length == 0 ? "" : "+" + Arrays.toString(finishedAbove));
    }
  }

  /**
   * Starts tracking a newly assigned partition from its committed position, knowing which offsets
   * beyond it an earlier owner finished; they are not to run again.
   */
  public void assigned(P partition, long committedPosition, long[] finishedAbove) {
    PartitionState state = new PartitionState();
    state.lastDelivered = committedPosition - 1;
    state.lastTaken = committedPosition;
    state.lastConfirmed = committedPosition;
    for (long offset : finishedAbove) {
      if (offset >= committedPosition) {
        state.finishedBefore.add(offset);
      }
    }
    partitions.put(partition, state);
  }

  /**
   * Records that {@code offset} of {@code partition} was handed out; offsets per partition rise.
   *
   * @return true if an earlier owner already finished it: it counts as completed, do not run it
   */
  public boolean delivered(P partition, long offset) {
    PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
    state.delivered(offset);
    if (state.finishedBefore.remove(offset)) {
      state.completed(offset);
      return true;
    }
    return false;
  }

  /** Records that {@code offset} finished; unknown partitions (revoked meanwhile) are ignored. */
  public void completed(P partition, long offset) {
    PartitionState state = partitions.get(partition);
    if (state != null) {
      state.completed(offset);
    }
  }

  /**
   * Commit points of partitions that advanced (or finished more beyond their gap) since the last
   * call.
   */
  public Map<P, CommitPoint> takeCommittable() {
    Map<P, CommitPoint> result = new HashMap<>();
    partitions.forEach(
        (partition, state) -> {
          long position = state.committablePosition();
          if (position > state.lastTaken || state.finishedChanged) {
            state.lastTaken = position;
            state.finishedChanged = false;
            result.put(partition, state.commitPoint(position));
          }
        });
    return result;
  }

  /**
   * A commit of {@code points} failed (e.g. during a rebalance): report them again next time, or a
   * partition whose last tasks finished would never get its final commit.
   */
  public void commitFailed(Map<P, CommitPoint> points) {
    points.forEach(
        (partition, point) -> {
          PartitionState state = partitions.get(partition);
          if (state != null && state.lastTaken == point.position()) {
            state.lastTaken = state.lastConfirmed;
            state.finishedChanged = true;
          }
        });
  }

  /** A commit of {@code points} succeeded. */
  public void commitSucceeded(Map<P, CommitPoint> points) {
    points.forEach(
        (partition, point) -> {
          PartitionState state = partitions.get(partition);
          if (state != null) {
            state.lastConfirmed = Math.max(state.lastConfirmed, point.position());
          }
        });
  }

  /** Every partition's commit point, reported or not: what a final, synchronous commit sends. */
  public Map<P, CommitPoint> allCommittable() {
    Map<P, CommitPoint> result = new HashMap<>();
    partitions.forEach(
        (partition, state) ->
            result.put(partition, state.commitPoint(state.committablePosition())));
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
      total += state.outstanding.size() - state.finishedEarly.size();
    }
    return total;
  }

  private static final class PartitionState {
    private final ArrayDeque<Long> outstanding = new ArrayDeque<>();
    private final Set<Long> finishedEarly = new HashSet<>();
    // Finished by an earlier owner and not delivered here yet.
    private final NavigableSet<Long> finishedBefore = new TreeSet<>();
    private long lastDelivered = -1;
    private long lastTaken = -1;
    private long lastConfirmed = -1;
    private boolean finishedChanged;

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
      } else if (finishedEarly.add(offset)) {
        finishedChanged = true;
      }
    }

    long committablePosition() {
      Long head = outstanding.peekFirst();
      return head != null ? head : lastDelivered + 1;
    }

    CommitPoint commitPoint(long position) {
      if (finishedEarly.isEmpty() && finishedBefore.isEmpty()) {
        return CommitPoint.of(position);
      }
      TreeSet<Long> above = new TreeSet<>(finishedEarly);
      above.addAll(finishedBefore.tailSet(position, true));
      return new CommitPoint(position, above.stream().mapToLong(Long::longValue).toArray());
    }
  }
}
