package io.taskpool.producer.internal;

import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.TaskpoolException;
import io.taskpool.producer.MapOptions.ProgressListener;
import io.taskpool.producer.TaskStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.LoggerFactory;

/**
 * One running map/imap call: a sender thread turns the input into chunk records as the window
 * allows, the reply thread fills the window, and the caller reads it as a {@link TaskStream}.
 */
public final class MapCall<R> implements TaskStream<R> {

  /** What a call needs from its client: ids, reply registration, sending and decoding. */
  public interface Transport<R> {
    String nextId();

    void expect(
        String id, ReplyListener.ReplyCallback onReply, Consumer<RuntimeException> onAbandoned);

    void forget(String id);

    CompletableFuture<Void> send(String id, List<?> chunk);

    /** The chunk's results; throws the worker's error when the chunk failed. */
    List<R> decode(String id, ConsumerRecord<byte[], byte[]> reply);
  }

  private final String task;
  private final Iterator<?> inputs;
  private final long total;
  private final int chunkSize;
  private final ResultWindow<R> window;
  private final long deadlineNanos;
  private final long idleNanos;
  private volatile long lastResultNanos = System.nanoTime();
  private final ProgressListener progress;
  private final Transport<R> transport;
  private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
  private final AtomicLong done = new AtomicLong();
  private final Thread sender;
  private volatile boolean closed;

  public MapCall(
      String task,
      Iterator<?> inputs,
      long total,
      int chunkSize,
      ResultWindow<R> window,
      long deadlineNanos,
      long idleNanos,
      ProgressListener progress,
      Transport<R> transport) {
    this.task = task;
    this.inputs = inputs;
    this.total = total;
    this.chunkSize = chunkSize;
    this.window = window;
    this.deadlineNanos = deadlineNanos;
    this.idleNanos = idleNanos;
    this.progress = progress;
    this.transport = transport;
    this.sender = new Thread(this::sendAll, "taskpool-map-" + task);
    sender.setDaemon(true);
    sender.start();
  }

  private void sendAll() {
    try {
      List<Object> chunk = new ArrayList<>(chunkSize);
      while (!closed && inputs.hasNext()) {
        chunk.add(inputs.next());
        if (chunk.size() == chunkSize || !inputs.hasNext()) {
          sendChunk(chunk);
          chunk = new ArrayList<>(chunkSize);
        }
      }
      window.finishInput();
    } catch (InterruptedException e) {
      window.abort(new TaskpoolException("map call interrupted"));
    } catch (RuntimeException e) {
      window.abort(
          e instanceof TaskpoolException
              ? e
              : new TaskpoolException("reading the map's input failed: " + e, e));
    }
  }

  private void sendChunk(List<Object> chunk) throws InterruptedException {
    int count = chunk.size();
    long first = window.reserve(count);
    String id = transport.nextId();
    outstanding.add(id);
    transport.expect(
        id,
        reply -> {
          outstanding.remove(id);
          List<R> results = null;
          RuntimeException error = null;
          try {
            results = transport.decode(id, reply);
          } catch (RuntimeException e) {
            error = e;
          }
          // Progress first: once the reader has the last result, the caller may rely on having
          // seen the final progress call.
          reportProgress(count);
          if (error == null) {
            window.complete(first, results);
          } else {
            window.fail(first, count, error);
          }
        },
        window::abort);
    transport
        .send(id, chunk)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                window.abort(
                    error instanceof RuntimeException r
                        ? r
                        : new TaskpoolException(error.getMessage(), error));
              }
            });
  }

  private void reportProgress(int count) {
    lastResultNanos = System.nanoTime();
    try {
      progress.onProgress(done.addAndGet(count), total);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(MapCall.class).warn("progress listener failed", e);
    }
  }

  @Override
  public boolean hasNext() {
    try {
      while (true) {
        long idleDeadline = idleNanos == 0 ? Long.MAX_VALUE : lastResultNanos + idleNanos;
        long deadline = Math.min(deadlineNanos, idleDeadline);
        try {
          return window.awaitNext(deadline);
        } catch (TaskTimeoutException timeout) {
          if (deadline == deadlineNanos) {
            throw timeout;
          }
          if (System.nanoTime() - lastResultNanos >= idleNanos) {
            throw new TaskTimeoutException(
                "no result of "
                    + task
                    + " arrived for "
                    + seconds(idleNanos)
                    + " s ("
                    + window.outstanding()
                    + " outstanding)");
          }
          // A later result arrived meanwhile (results come in any order): wait on.
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return window.take();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    window.abort(new TaskpoolException("map call closed"));
    sender.interrupt();
    for (String id : outstanding) {
      transport.forget(id);
    }
    outstanding.clear();
  }

  /** Whole seconds, or tenths below ten seconds: a 700 ms limit reads 0.7 s, not 0 s. */
  private static String seconds(long nanos) {
    double seconds = nanos / 1e9;
    return seconds >= 10 || seconds == Math.rint(seconds)
        ? String.valueOf(Math.round(seconds))
        : String.format(java.util.Locale.ROOT, "%.1f", seconds);
  }
}
