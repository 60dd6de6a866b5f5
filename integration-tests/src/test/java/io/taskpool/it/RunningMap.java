package io.taskpool.it;

import static org.awaitility.Awaitility.await;

import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A one-task-per-record map running in the background, so a test can disturb workers mid-way. */
final class RunningMap {
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lastProgressNanos = new AtomicLong();
  private final AtomicLong longestStallNanos = new AtomicLong();
  private final CompletableFuture<List<Integer>> results;

  private RunningMap(TaskClient client, String task, List<?> inputs) {
    MapOptions options =
        MapOptions.builder()
            .chunkSize(1)
            .timeout(Duration.ofMinutes(3))
            .onProgress((n, total) -> progressed(n))
            .build();
    this.results =
        CompletableFuture.supplyAsync(() -> client.map(task, inputs, Integer.class, options));
  }

  private void progressed(long n) {
    long now = System.nanoTime();
    long last = lastProgressNanos.getAndSet(now);
    if (last != 0) {
      longestStallNanos.accumulateAndGet(now - last, Math::max);
    }
    done.set(n);
  }

  /** The longest time between two results of this map: the pause a disturbance caused. */
  Duration longestStall() {
    return Duration.ofNanos(longestStallNanos.get());
  }

  static RunningMap start(TaskClient client, String task, List<?> inputs) {
    return new RunningMap(client, task, inputs);
  }

  /** Waits until at least {@code count} results arrived. */
  RunningMap awaitProgress(long count) {
    await("" + count + " results").atMost(Duration.ofMinutes(1)).until(() -> done.get() >= count);
    return this;
  }

  long done() {
    return done.get();
  }

  /** Waits for the whole map. */
  List<Integer> results() {
    return results.join();
  }
}
