package io.taskpool.worker.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The worker's handler threads: one single-threaded lane per thread. Tasks with a key always run
 * on the lane their key hashes to, so equal keys run in order; tasks without a key go to the
 * least-busy lane.
 */
public final class KeyedLanes {
  private final ThreadPoolExecutor[] lanes;
  // Tasks queued or running per lane; kept by hand since ThreadPoolExecutor's counts take a lock.
  private final AtomicIntegerArray load;

  public KeyedLanes(int count, String namePrefix) {
    lanes = new ThreadPoolExecutor[count];
    load = new AtomicIntegerArray(count);
    for (int i = 0; i < count; i++) {
      String name = namePrefix + "-" + i;
      lanes[i] =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
    }
  }

  public void execute(byte[] key, Runnable task) {
    int lane = key == null ? leastBusy() : Math.floorMod(Arrays.hashCode(key), lanes.length);
    load.incrementAndGet(lane);
    lanes[lane].execute(
        () -> {
          try {
            task.run();
          } finally {
            load.decrementAndGet(lane);
          }
        });
  }

  private int leastBusy() {
    int best = 0;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < lanes.length; i++) {
      int busy = load.get(i);
      if (busy < bestLoad) {
        best = i;
        bestLoad = busy;
        if (busy == 0) {
          break;
        }
      }
    }
    return best;
  }

  /** Lets queued tasks finish, then stops the threads. */
  public void shutdown(Duration timeout) {
    for (ThreadPoolExecutor lane : lanes) {
      lane.shutdown();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ThreadPoolExecutor lane : lanes) {
      try {
        if (!lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          lane.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lane.shutdownNow();
      }
    }
  }
}
