package io.taskpool.it;

import io.taskpool.core.Namespace;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.sync.SharedCounter;
import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The tasks the integration tests run, found by worker processes through ServiceLoader. */
public final class TestTasks implements TaskModule {
  /** The seed's lock example as a task: {@code n} increments of counter "seed" under its lock. */
  public record LockedIncrements(String redisUrl, String namespace, int n) {
    long run() {
      try (RedisSync sync =
          RedisSync.connect(RedisSettings.fromUrl(redisUrl), Namespace.of(namespace))) {
        SharedCounter counter = sync.counter("seed");
        long last = 0;
        for (int i = 0; i < n; i++) {
          last = counter.incrementAndGet();
        }
        return last;
      }
    }
  }

  /**
   * A task that counts its runs: {@code INCR <ns>:runs:<id>} in Redis as it starts, then sleeps
   * {@code ms}; returns {@code id}. What delivery tests count executions with.
   */
  public record Counted(String redis, String ns, int id, int ms) {
    int run(boolean obeyInterrupts) throws InterruptedException {
      ExecutionCounter.redis(redis).incr(ns + ":runs:" + id);
      if (obeyInterrupts) {
        Thread.sleep(ms);
      } else {
        sleepIgnoringInterrupts(ms);
      }
      return id;
    }

    static java.util.List<Counted> range(String redis, String ns, int count, int ms) {
      return java.util.stream.IntStream.range(0, count)
          .mapToObj(i -> new Counted(redis, ns, i, ms))
          .toList();
    }
  }

  private static void sleepIgnoringInterrupts(long ms) {
    long end = System.nanoTime() + ms * 1_000_000;
    while (System.nanoTime() < end) {
      try {
        Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException ignored) {
        // A handler that does not honour interrupts: what the hard time limit is for.
      }
    }
  }

  private final Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();

  @Override
  public void register(HandlerRegistry registry) {
    registry.register("square", Integer.class, n -> n * n);
    registry.register("add", Integer.class, Integer.class, Integer::sum);
    registry.register("echo", String.class, s -> s);
    registry.register("lsquare", Long.class, n -> n * n);
    registry.register("locked-increments", LockedIncrements.class, LockedIncrements::run);
    registry.register(
        "slow-square",
        Integer.class,
        n -> {
          Thread.sleep(2);
          return n * n;
        });
    registry.register(
        "sleep-ms",
        Integer.class,
        ms -> {
          Thread.sleep(ms);
          return ms;
        });
    registry.register("counted", Counted.class, c -> c.run(true));
    registry.register("counted-stubborn", Counted.class, c -> c.run(false));
    registry.register(
        "assert-fails",
        Integer.class,
        n -> {
          throw new AssertionError("handler bug on " + n);
        });
    registry.register(
        "big-fails",
        String.class,
        s -> {
          throw new IllegalArgumentException("cannot handle " + s.length() + " characters");
        });
    registry.register(
        "boom",
        Integer.class,
        n -> {
          throw new IllegalStateException("boom on " + n);
        });
    registry.register(
        "never",
        Integer.class,
        n -> {
          throw new NonRetriableTaskException("input " + n + " can never work");
        });
    registry.register(
        "flaky",
        Integer.class,
        n -> {
          if (failedOnce.add(n)) {
            throw new IllegalStateException("first try of " + n + " fails");
          }
          return n;
        });
  }
}
