package io.taskpool.producer.internal;

import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.TaskpoolException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer between a map call's sender, its reply thread and its reader. The sender
 * {@link #reserve reserves} index ranges (one per chunk) and blocks while {@code capacity} items
 * are outstanding, counting from reservation until the reader took the item; so memory stays
 * bounded however long the input is, even when results arrive out of order. Items count as taken
 * once the reader has moved past their whole chunk. Subclasses decide which completed chunk is read
 * next: input order ({@link #ordered}) or arrival order ({@link #arrivalOrder}). Thread-safe.
 */
public abstract class ResultWindow<R> {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition resultReady = lock.newCondition();
  private final Condition spaceFree = lock.newCondition();

  private long reserved;
  private long taken;
  private boolean inputFinished;
  private RuntimeException aborted;
  // Owned by the single reader thread; the window counts a chunk as taken once it was read through.
  private Chunk<R> current;
  private int cursor;

  protected ResultWindow(int capacity) {
    this.capacity = capacity;
  }

  /** Results in input order, as {@code Pool.map} and {@code Pool.imap} give them. */
  public static <R> ResultWindow<R> ordered(int capacity) {
    return new InputOrderWindow<>(capacity);
  }

  /** Results as they complete, as {@code Pool.imap_unordered} gives them. */
  public static <R> ResultWindow<R> arrivalOrder(int capacity) {
    return new ArrivalOrderWindow<>(capacity);
  }

  /**
   * Blocks until {@code count} more items fit, then reserves them.
   *
   * @return index of the first reserved item
   * @throws TaskpoolException when the window was aborted or closed meanwhile
   */
  public long reserve(int count) throws InterruptedException {
    lock.lock();
    try {
      // A chunk larger than the whole window still goes through, alone.
      while (aborted == null && reserved > taken && reserved - taken + count > capacity) {
        spaceFree.await();
      }
      if (aborted != null) {
        throw aborted;
      }
      long first = reserved;
      reserved += count;
      return first;
    } finally {
      lock.unlock();
    }
  }

  /** The chunk reserved at {@code first} succeeded with these results, in input order. */
  public void complete(long first, List<R> results) {
    deliver(new Chunk<>(first, results.size(), results, null));
  }

  /** The chunk reserved at {@code first}, of {@code count} items, failed for good. */
  public void fail(long first, int count, RuntimeException error) {
    deliver(new Chunk<>(first, count, null, error));
  }

  /** No more reservations will come: the reader sees the end once everything reserved was taken. */
  public void finishInput() {
    lock.lock();
    try {
      inputFinished = true;
      resultReady.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the call with {@code error}: the reader gets it next, the sender on its next reservation.
   */
  public void abort(RuntimeException error) {
    lock.lock();
    try {
      if (aborted == null) {
        aborted = error;
      }
      resultReady.signalAll();
      spaceFree.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the next result until {@code deadlineNanos} ({@link System#nanoTime()} based, or
   * {@link Long#MAX_VALUE} for no limit).
   *
   * @return false once every item of a finished input was taken
   * @throws TaskTimeoutException when the deadline passes first
   */
  public boolean awaitNext(long deadlineNanos) {
    // Reader-only fields: the common case, more items in the current chunk, takes no lock.
    if (current != null && cursor < current.count) {
      return true;
    }
    lock.lock();
    try {
      if (current != null) {
        // The reader finished a chunk: its items leave the window now.
        taken += current.count;
        current = null;
        spaceFree.signalAll();
      }
      while (true) {
        if (aborted != null) {
          throw aborted;
        }
        current = nextChunk();
        cursor = 0;
        if (current != null) {
          return true;
        }
        if (inputFinished && taken == reserved) {
          return false;
        }
        long waitNanos =
            deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (waitNanos <= 0) {
          throw new TaskTimeoutException(
              (reserved - taken) + " results still outstanding when the call's timeout passed");
        }
        if (waitNanos == Long.MAX_VALUE) {
          resultReady.await();
        } else {
          resultReady.awaitNanos(waitNanos);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while waiting for results", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the result {@link #awaitNext} announced. Call from the reader thread only.
   *
   * @throws RuntimeException the chunk's error, once for a failed chunk, which is then skipped
   */
  public R take() {
    if (current == null || cursor >= current.count) {
      throw new NoSuchElementException("call awaitNext first");
    }
    if (current.error != null) {
      cursor = current.count;
      throw current.error;
    }
    return current.results.get(cursor++);
  }

  /** Items reserved and not yet taken. */
  public long outstanding() {
    lock.lock();
    try {
      return reserved - taken;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(Chunk<R> chunk) {
    lock.lock();
    try {
      store(chunk);
      resultReady.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Keeps a completed chunk until it is due; called under the window's lock. */
  protected abstract void store(Chunk<R> chunk);

  /** The chunk to read next, or null when it has not arrived; called under the window's lock. */
  protected abstract Chunk<R> nextChunk();

  /** A completed (or failed) run of consecutive items. */
  protected static final class Chunk<R> {
    final long first;
    final int count;
    final List<R> results;
    final RuntimeException error;

    Chunk(long first, int count, List<R> results, RuntimeException error) {
      this.first = first;
      this.count = count;
      this.results = results;
      this.error = error;
    }
  }
}
