package io.taskpool.worker.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Records a poll brought that the worker has not handed to its threads yet, per partition, handed
 * out round-robin across partitions. They count as not taken: a partition's buffered records are
 * dropped when it is revoked (its next owner reads them from the committed position), so only what
 * was handed out can ever run here. Single-threaded (the poll thread).
 */
public final class FetchBuffer<P, R> {
  private final Map<P, ArrayDeque<R>> byPartition = new HashMap<>();
  private final ArrayDeque<P> turns = new ArrayDeque<>();
  private int size;
  private P lastPartition;

  public void add(P partition, R record) {
    ArrayDeque<R> queue = byPartition.computeIfAbsent(partition, p -> new ArrayDeque<>());
    if (queue.isEmpty()) {
      turns.addLast(partition);
    }
    queue.addLast(record);
    size++;
  }

  /** The next record, taking partitions in turn; null when empty. */
  public R poll() {
    P partition = turns.pollFirst();
    if (partition == null) {
      return null;
    }
    ArrayDeque<R> queue = byPartition.get(partition);
    R record = queue.pollFirst();
    size--;
    lastPartition = partition;
    if (!queue.isEmpty()) {
      turns.addLast(partition);
    }
    return record;
  }

  /**
   * The partition of the record {@link #poll} returned last (saves the caller building its key
   * again).
   */
  public P lastPartition() {
    return lastPartition;
  }

  /** Drops what is buffered for {@code partitions}; returns how many records. */
  public int drop(Collection<P> partitions) {
    int dropped = 0;
    for (P partition : partitions) {
      ArrayDeque<R> queue = byPartition.remove(partition);
      if (queue != null) {
        dropped += queue.size();
        size -= queue.size();
        turns.remove(partition);
      }
    }
    return dropped;
  }

  /** Drops everything; returns how many records. */
  public int clear() {
    int dropped = size;
    byPartition.clear();
    turns.clear();
    size = 0;
    return dropped;
  }

  /** Partitions with buffered records (no more should be fetched for them meanwhile). */
  public Set<P> holding() {
    return Set.copyOf(turns);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }
}
