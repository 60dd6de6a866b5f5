package io.taskpool.testkit;

import io.taskpool.core.Namespace;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.SharedCounter;
import io.taskpool.core.sync.StaleLockException;
import java.time.Duration;

/**
 * One process of the seed's Lock/Value example, for tests and the benchmark: {@code <redis-url>
 * <namespace> <watchdog-ms> <mode> <n>} on counter "seed". Modes: {@code fast} (n fast-path
 * increments), {@code generic} (n read-modify-writes in a critical section), {@code plain} (the
 * same with a bare Redisson RLock, for comparison), {@code unlocked} (no lock: loses updates),
 * {@code hold} (take the lock, print "held", sleep), {@code stale} (take the lock, print "read",
 * sleep n ms so a test can SIGSTOP it, then try the write), {@code through-outage} (n successful
 * increments, alternately locked and fast-path, retrying failed ones while Redis is away). Prints
 * "done MODE N in MS ms".
 */
public final class SeedLockExample {
  private SeedLockExample() {}

  /**
   * Counts what it may claim: "succeeded S" increments returned success; "uncertain U" failed after
   * the command may have reached Redis (its reply lost with the connection), so the final value
   * must lie between the sum of S and the sum of S + U.
   */
  private static void throughOutage(SharedCounter counter, int n) throws InterruptedException {
    long succeeded = 0;
    long uncertain = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (succeeded < n) {
      if (System.nanoTime() > deadline) {
        System.out.println("gave up after " + succeeded + " of " + n);
        System.exit(4);
      }
      try {
        if (succeeded % 2 == 0) {
          try (LockHandle held = counter.lock().acquire()) {
            counter.write(held, counter.get() + 1);
          }
        } else {
          counter.incrementAndGet();
        }
        succeeded++;
      } catch (TaskpoolException redisAway) {
        // Only taskpool's own exception may reach the caller: a raw Redisson one would end this
        // process.
        if (uncertain == 0) {
          System.out.println("first failure: " + redisAway.getMessage());
        }
        uncertain++;
        Thread.sleep(50);
      }
    }
    System.out.println("succeeded " + succeeded + " uncertain " + uncertain);
  }

  /** Where the "unlocked" mode counts: a plain Redis string of namespace {@code ns}. */
  public static String unlockedKey(String ns) {
    return ns + ":unlocked-value";
  }

  public static void main(String[] args) throws Exception {
    RedisSettings settings =
        RedisSettings.fromUrl(args[0])
            .withLockWatchdogTimeout(Duration.ofMillis(Long.parseLong(args[2])));
    String mode = args[3];
    int n = Integer.parseInt(args[4]);
    try (RedisSync sync = RedisSync.connect(settings, Namespace.of(args[1]))) {
      SharedCounter counter = sync.counter("seed");
      long start = System.nanoTime();
      switch (mode) {
        case "fast" -> {
          for (int i = 0; i < n; i++) {
            counter.incrementAndGet();
          }
        }
        case "generic" -> {
          for (int i = 0; i < n; i++) {
            try (LockHandle held = counter.lock().acquire()) {
              counter.write(held, counter.get() + 1);
            }
          }
        }
        case "plain" -> {
          // Plain Redisson, for comparison: RLock around a read-modify-write of a bucket.
          var rlock = sync.redisson().getLock(args[1] + ":plain-lock");
          var bucket = sync.redisson().<String>getBucket(args[1] + ":plain-value");
          for (int i = 0; i < n; i++) {
            rlock.lock();
            try {
              String v = bucket.get();
              bucket.set(String.valueOf(v == null ? 1 : Long.parseLong(v) + 1));
            } finally {
              rlock.unlock();
            }
          }
        }
        case "unlocked" -> {
          // The seed's point: the same read-modify-write with no lock at all loses updates.
          var bucket =
              sync.redisson()
                  .<String>getBucket(
                      unlockedKey(args[1]), org.redisson.client.codec.StringCodec.INSTANCE);
          for (int i = 0; i < n; i++) {
            String v = bucket.get();
            bucket.set(String.valueOf(v == null ? 1 : Long.parseLong(v) + 1));
          }
        }
        case "hold" -> {
          LockHandle held = counter.lock().acquire();
          System.out.println("held " + held.token());
          Thread.sleep(Long.MAX_VALUE);
        }
        case "stale" -> {
          try (LockHandle held = counter.lock().acquire()) {
            long read = counter.get();
            System.out.println("read " + read);
            Thread.sleep(n);
            try {
              counter.write(held, read + 1);
              System.out.println("wrote");
              System.exit(5);
            } catch (StaleLockException e) {
              System.out.println("stale: " + e.getMessage());
            }
          } catch (StaleLockException unlockOfLostLock) {
            System.out.println("unlock refused: " + unlockOfLostLock.getMessage());
          }
        }
        case "through-outage" -> throughOutage(counter, n);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
      System.out.println(
          "done " + mode + " " + n + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
    System.exit(0);
  }
}
