package io.taskpool.bench;

import io.taskpool.core.Namespace;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.SharedCounter;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.SeedLockExample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.client.codec.StringCodec;

/** The seed's Lock/Value example, 5 contending processes, through each path taskpool offers. */
final class LockBench {
  private static final Pattern DONE = Pattern.compile("done \\S+ \\d+ in (\\d+) ms");
  private static final int PROCESSES = 5;

  private final LocalCluster cluster;
  private final Path logs;

  LockBench(LocalCluster cluster, Path logs) {
    this.cluster = cluster;
    this.logs = logs;
  }

  /** Single-connection INCR round trips per second through Redisson. */
  double rawIncr(int count) {
    try (RedisSync sync = connect(LocalCluster.uniqueNamespace("bench-incr"))) {
      RAtomicLong counter = sync.redisson().getAtomicLong("bench-incr");
      for (int i = 0; i < 2_000; i++) {
        counter.incrementAndGet();
      }
      Stopwatch watch = Stopwatch.start();
      for (int i = 0; i < count; i++) {
        counter.incrementAndGet();
      }
      return count / watch.seconds();
    }
  }

  /**
   * Runs {@code mode} in 5 processes of {@code perProcess} each; returns [wall seconds, ops/s over
   * the slowest process].
   */
  double[] processes(String mode, int perProcess) {
    String ns = LocalCluster.uniqueNamespace("bench-lock-" + mode);
    List<JvmProcess> clients = new ArrayList<>();
    Stopwatch wall = Stopwatch.start();
    try {
      for (int i = 0; i < PROCESSES; i++) {
        clients.add(
            JvmProcess.start(
                SeedLockExample.class.getName(),
                List.of("-XX:+UseSerialGC", "-Xmx128m"),
                List.of(cluster.redisUrl(), ns, "30000", mode, String.valueOf(perProcess)),
                logs.resolve(ns + "-" + i + ".log")));
      }
      long slowestMillis = 0;
      for (JvmProcess client : clients) {
        if (client.waitFor(Duration.ofMinutes(15)) != 0) {
          throw new IllegalStateException(mode + " client failed: " + client.output());
        }
        Matcher done = DONE.matcher(client.output());
        if (!done.find()) {
          throw new IllegalStateException(mode + " client printed no timing: " + client.output());
        }
        slowestMillis = Math.max(slowestMillis, Long.parseLong(done.group(1)));
      }
      double seconds = wall.seconds();
      checkCount(ns, mode, (long) PROCESSES * perProcess);
      return new double[] {seconds, PROCESSES * perProcess / (slowestMillis / 1000.0)};
    } finally {
      clients.forEach(JvmProcess::close);
    }
  }

  /**
   * The seed's loop from 5 threads of one process; ops/s. Modes as {@link #processes}: {@code fast}
   * (counter fast path), {@code generic} (taskpool lock around a read-modify-write), {@code plain}
   * (bare Redisson RLock around a read-modify-write of a bucket).
   */
  double threads(String mode, int perThread) {
    String ns = LocalCluster.uniqueNamespace("bench-lock-threads-" + mode);
    try (RedisSync sync = connect(ns)) {
      SharedCounter counter = sync.counter("seed");
      RLock plainLock = sync.redisson().getLock(ns + ":plain-lock");
      RBucket<String> plainValue =
          sync.redisson().getBucket(ns + ":plain-value", StringCodec.INSTANCE);
      Runnable once =
          switch (mode) {
            case "fast" -> counter::incrementAndGet;
            case "generic" ->
                () -> {
                  try (LockHandle held = counter.lock().acquire()) {
                    counter.write(held, counter.get() + 1);
                  }
                };
            case "plain" ->
                () -> {
                  plainLock.lock();
                  try {
                    String v = plainValue.get();
                    plainValue.set(String.valueOf(v == null ? 1 : Long.parseLong(v) + 1));
                  } finally {
                    plainLock.unlock();
                  }
                };
            default -> throw new IllegalArgumentException(mode);
          };
      Stopwatch watch = Stopwatch.start();
      CompletableFuture<?>[] threads =
          IntStream.range(0, PROCESSES)
              .mapToObj(
                  t ->
                      CompletableFuture.runAsync(
                          () -> {
                            for (int i = 0; i < perThread; i++) {
                              once.run();
                            }
                          },
                          runnable -> new Thread(runnable).start()))
              .toArray(CompletableFuture[]::new);
      CompletableFuture.allOf(threads).join();
      double opsPerSecond = PROCESSES * perThread / watch.seconds();
      long counted = "plain".equals(mode) ? Long.parseLong(plainValue.get()) : counter.get();
      if (counted != (long) PROCESSES * perThread) {
        throw new IllegalStateException(mode + " threads counted " + counted);
      }
      return opsPerSecond;
    }
  }

  private void checkCount(String ns, String mode, long expected) {
    if ("plain".equals(mode)) {
      return;
    }
    try (RedisSync sync = connect(ns)) {
      long counted = sync.counter("seed").get();
      if (counted != expected) {
        throw new IllegalStateException(mode + " counted " + counted + ", expected " + expected);
      }
    }
  }

  private RedisSync connect(String ns) {
    return RedisSync.connect(RedisSettings.fromUrl(cluster.redisUrl()), Namespace.of(ns));
  }
}
