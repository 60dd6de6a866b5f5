package io.taskpool.worker.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The worker's handler threads. Ordered ({@code PARTITIONED} mode): one single-threaded lane per
 * thread; tasks with a key always run on the lane their key hashes to, so equal keys run in order,
 * and tasks without a key go to the least-busy lane. Unordered ({@code SHARED} mode, which promises
 * no order): one lane of {@code count} threads, so a slow task never holds up a task queued behind
 * it.
 *
 * <p>Each lane queues at most {@code queueCapacity} tasks besides those running, whatever its
 * caller does: a task past that is refused ({@link #execute} returns false), not queued.
 */
public final class KeyedLanes {
  private final ThreadPoolExecutor[] lanes;
  // Tasks queued or running per lane; kept by hand since ThreadPoolExecutor's counts take a lock.
  private final AtomicIntegerArray load;

  /**
   * @param count handler threads
   * @param ordered true: a lane per thread, equal keys on one lane; false: one lane of all threads
   * @param queueCapacity tasks each lane may hold waiting to start (the worker's in-flight cap:
   *     every key may hash to one lane)
   */
  public KeyedLanes(int count, String namePrefix, boolean ordered, int queueCapacity) {
    int laneCount = ordered ? count : 1;
    int threadsPerLane = ordered ? 1 : count;
    lanes = new ThreadPoolExecutor[laneCount];
    load = new AtomicIntegerArray(laneCount);
    for (int i = 0; i < laneCount; i++) {
      String name = namePrefix + "-" + i;
      AtomicInteger threadNumber = new AtomicInteger();
      lanes[i] =
          new ThreadPoolExecutor(
              threadsPerLane,
              threadsPerLane,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(queueCapacity),
              r -> {
                Thread t =
                    new Thread(
                        r,
                        threadsPerLane == 1 ? name : name + "-" + threadNumber.getAndIncrement());
                t.setDaemon(true);
                return t;
              });
    }
  }

  /**
   * Queues {@code task} on the lane of {@code key} (the least busy one without a key); false, and
   * the task will not run, when that lane's queue is full or the lanes are shut down.
   */
  public boolean execute(byte[] key, Runnable task) {
    int lane = key == null ? leastBusy() : Math.floorMod(Arrays.hashCode(key), lanes.length);
    load.incrementAndGet(lane);
    try {
      lanes[lane].execute(
          () -> {
            try {
              task.run();
            } finally {
              load.decrementAndGet(lane);
            }
          });
      return true;
    } catch (RejectedExecutionException full) {
      load.decrementAndGet(lane);
      return false;
    }
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
        if (!lane.awaitTermination(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          lane.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lane.shutdownNow();
      }
    }
  }
}
