package io.taskpool.worker.internal;

import io.taskpool.worker.spi.Acknowledgement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The share source's bookkeeping of acquired records, kept apart from Kafka so its rules are
 * testable: a record is either in the consumer's current batch (it must be acknowledged, or
 * renewed, before the next poll) or renewed and waiting to come back from a later poll; an outcome
 * that arrives while a record is away is kept until it returns. One poll can return the same offset
 * more than once (seen with Kafka 4.4 after a lock ran out and the record was acquired again): each
 * copy is acknowledged, or the consumer refuses the next poll. Poll thread only.
 *
 * @param <R> the consumer's record type
 */
public final class ShareLedger<R> {
  /** Where a record stands. */
  static final class Entry<R> {
    final List<R> copies = new ArrayList<>(1);
    boolean inBatch;
    Acknowledgement outcome;
    long lockedAtNanos;
    long renewedAtNanos;
  }

  /** A record (each copy the consumer handed out) whose outcome can be told to the consumer now. */
  public record Ready<R>(List<R> copies, Acknowledgement outcome) {}

  private final Map<Key, Entry<R>> acquired = new HashMap<>();

  private record Key(int partition, long offset) {}

  /**
   * A record returned by a poll. Returns true if it is new (run it); false if it is one of ours
   * coming back after a renewal (its outcome, if already known, is then in {@link #takeReady}).
   */
  public boolean polled(int partition, long offset, R record, long nowNanos) {
    Entry<R> entry = acquired.get(new Key(partition, offset));
    boolean fresh = entry == null;
    if (fresh) {
      entry = new Entry<>();
      acquired.put(new Key(partition, offset), entry);
    }
    if (!entry.inBatch) {
      entry.copies.clear();
    }
    entry.copies.add(record);
    entry.inBatch = true;
    entry.lockedAtNanos = nowNanos;
    return fresh;
  }

  /** A task finished (or was given back) with {@code outcome}. */
  public void finished(int partition, long offset, Acknowledgement outcome) {
    Entry<R> entry = acquired.get(new Key(partition, offset));
    if (entry != null) {
      entry.outcome = outcome;
    }
  }

  /** Outcomes the consumer can take now (their records are in its batch); they leave the ledger. */
  public List<Ready<R>> takeReady() {
    List<Ready<R>> ready = new ArrayList<>();
    acquired
        .values()
        .removeIf(
            entry -> {
              if (entry.inBatch && entry.outcome != null) {
                ready.add(new Ready<>(List.copyOf(entry.copies), entry.outcome));
                return true;
              }
              return false;
            });
    return ready;
  }

  /**
   * Records of the batch still running: renew each before the next poll; they come back from a
   * later one.
   */
  public List<R> takeForRenewal(long nowNanos) {
    List<R> renew = new ArrayList<>();
    for (Entry<R> entry : acquired.values()) {
      if (entry.inBatch) {
        entry.inBatch = false;
        entry.renewedAtNanos = nowNanos;
        renew.addAll(entry.copies);
      }
    }
    return renew;
  }

  /**
   * Forgets renewed records that did not come back within {@code maxAgeNanos} (the renewal was
   * refused, e.g. the lock had run out): the broker hands them out again. Returns how many.
   */
  public int forgetUnreturned(long maxAgeNanos, long nowNanos) {
    int before = acquired.size();
    acquired
        .values()
        .removeIf(entry -> !entry.inBatch && nowNanos - entry.renewedAtNanos > maxAgeNanos);
    return before - acquired.size();
  }

  /** Forgets everything (the consumer was replaced; the broker released what it held). */
  public void clear() {
    acquired.clear();
  }

  /** True if some record of the batch has held its lock for at least {@code ageNanos}. */
  public boolean lockOlderThan(long ageNanos, long nowNanos) {
    for (Entry<R> entry : acquired.values()) {
      if (entry.inBatch && nowNanos - entry.lockedAtNanos >= ageNanos) {
        return true;
      }
    }
    return false;
  }

  /** True if every record of the current batch was acknowledged (so a poll needs no renewal). */
  public boolean batchSettled() {
    for (Entry<R> entry : acquired.values()) {
      if (entry.inBatch) {
        return false;
      }
    }
    return true;
  }

  /** Records acquired and not yet acknowledged. */
  public int size() {
    return acquired.size();
  }
}
