package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskpool.core.Namespace;
import io.taskpool.core.redis.MicrometerLockObserver;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.sync.DistributedLock;
import io.taskpool.core.sync.FencedMap;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.SharedCounter;
import io.taskpool.core.sync.StaleLockException;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.testkit.SeedLockExample;
import io.taskpool.testkit.internal.FreePorts;
import io.taskpool.testkit.internal.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import redis.clients.jedis.JedisPooled;

/** The seed's Lock and Value example across processes, against a real redis-server. */
@ExtendWith(LocalClusterExtension.class)
class LockAndValueIT {
  private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(3);

  @Test
  void theSeedExampleThroughTheCounterFastPathCountsExactly500000(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("seed-fast");
    long start = System.nanoTime();
    runClients(cluster, ns, "fast", 100_000, 5);
    long millis = (System.nanoTime() - start) / 1_000_000;
    try (RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30))) {
      assertThat(sync.counter("seed").get()).as("after %d ms", millis).isEqualTo(500_000);
    }
  }

  @Test
  void theSeedExampleThroughTheGenericLockCountsExactly10000(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("seed-generic");
    runClients(cluster, ns, "generic", 2_000, 5);
    try (RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30))) {
      assertThat(sync.counter("seed").get()).isEqualTo(10_000);
    }
  }

  @Test
  void withoutTheLockTheSameReadModifyWriteLosesUpdates(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("seed-unlocked");
    runClients(cluster, ns, "unlocked", 2_000, 5);
    try (RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30))) {
      // Each client's last write is at least its own 2,000; together they lost some of the 10,000.
      String value =
          sync.redisson()
              .<String>getBucket(
                  SeedLockExample.unlockedKey(ns), org.redisson.client.codec.StringCodec.INSTANCE)
              .get();
      assertThat(Long.parseLong(value)).isBetween(2_000L, 9_999L);
    }
  }

  @Test
  void fastPathIncrementsWaitWhileAnotherProcessHoldsTheLockInALongCriticalSection(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("exclusion");
    try (RedisSync holderSide = connect(cluster, ns, Duration.ofSeconds(30));
        RedisSync otherSide = connect(cluster, ns, Duration.ofSeconds(30))) {
      SharedCounter holderCounter = holderSide.counter("seed");
      SharedCounter otherCounter = otherSide.counter("seed");
      AtomicInteger incremented = new AtomicInteger();
      CompletableFuture<Void> increments;
      try (LockHandle held = holderCounter.lock().acquire()) {
        long before = holderCounter.get();
        // Given fast-path increments started by another client while the lock is held
        increments =
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    otherCounter.incrementAndGet();
                    incremented.incrementAndGet();
                  }
                });
        // Then none slips in during the critical section
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(incremented).hasValue(0);
        assertThat(holderCounter.get()).isEqualTo(before);
        holderCounter.write(held, before + 1_000);
      }
      // And after the release they all go through
      increments.join();
      assertThat(otherCounter.get()).isEqualTo(1_200);
    }
  }

  @Test
  void lockMetricsCountAcquisitionsGiveUpsHoldsAndALostLease(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("lock-metrics");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RedisSettings settings =
        RedisSettings.fromUrl(cluster.redisUrl()).withLockWatchdogTimeout(Duration.ofSeconds(3));
    try (RedisSync sync =
            RedisSync.connect(
                settings,
                Namespace.of(ns),
                new MicrometerLockObserver(registry, Tags.of("namespace", ns)));
        RedisSync other = connect(cluster, ns, Duration.ofSeconds(30));
        JedisPooled jedis = new JedisPooled(URI.create(cluster.redisUrl()))) {
      DistributedLock lock = sync.lock("metered");
      for (int i = 0; i < 3; i++) {
        try (LockHandle handle = lock.acquire()) {
          assertThat(handle.token()).isPositive();
        }
      }
      // Held by another process: a bounded attempt gives up
      try (LockHandle elsewhere = other.lock("metered").acquire()) {
        assertThat(lock.tryAcquire(Duration.ofMillis(300))).isEmpty();
      }

      assertThat(
              registry
                  .get("taskpool.lock.wait")
                  .tag("lock", "metered")
                  .tag("outcome", "acquired")
                  .timer()
                  .count())
          .isEqualTo(3);
      assertThat(
              registry
                  .get("taskpool.lock.wait")
                  .tag("lock", "metered")
                  .tag("outcome", "gave_up")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("taskpool.lock.held")
                  .tag("lock", "metered")
                  .tag("namespace", ns)
                  .timer()
                  .count())
          .isEqualTo(3);

      // When the lease is lost while held (its key gone), the watchdog's next renewal fails,
      // counted
      LockHandle held = lock.acquire();
      jedis.del(ns + ":{metered}:lock");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  registry.find("taskpool.lock.renewal.failures").counter() != null
                      && registry.find("taskpool.lock.renewal.failures").counter().count() == 1);
      assertThatThrownBy(held::close).isInstanceOf(StaleLockException.class);
    }
  }

  @Test
  void aHolderKilledWithSigkillFreesTheLockOnceItsLeaseRunsOut(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("killed-holder");
    try (JvmProcess holder = startClient(cluster, ns, "hold", 0, 1_000, "holder");
        RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> holder.output().contains("held"));
      holder.kill();

      long start = System.nanoTime();
      Optional<LockHandle> held =
          sync.lock("seed").tryAcquire(Duration.ofSeconds(20), Duration.ofSeconds(5));
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(held).isPresent();
      held.get().close();
      assertThat(waitedMillis).as("waited for the 1 s watchdog lease").isLessThan(10_000);
    }
  }

  @Test
  void aHolderPausedPastItsLeaseCannotOverwriteWritesMadeAfterIt(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("paused-holder");
    try (RedisSync paused = connect(cluster, ns, Duration.ofSeconds(30));
        RedisSync others = connect(cluster, ns, Duration.ofSeconds(30))) {
      SharedCounter slow = paused.counter("seed");
      SharedCounter fast = others.counter("seed");
      fast.addAndGet(10);

      // Given a holder with a 300 ms lease that read the counter
      LockHandle held =
          slow.lock().tryAcquire(Duration.ofSeconds(5), Duration.ofMillis(300)).orElseThrow();
      long read = slow.get();

      // When it pauses past its lease while others write (fast path and locked path)
      await()
          .pollInSameThread()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !slow.lock().isHeldByCurrentThread());
      for (int i = 0; i < 100; i++) {
        fast.incrementAndGet();
      }
      fast.update(v -> v + 5);

      // Then its write is refused and the counter stays exact
      assertThatThrownBy(() -> slow.write(held, read + 1))
          .isInstanceOf(StaleLockException.class)
          .hasMessageContaining("lease ran out");
      assertThatThrownBy(held::close).isInstanceOf(StaleLockException.class);
      assertThat(fast.get()).isEqualTo(10 + 100 + 5);
    }
  }

  @Test
  void aHolderStoppedWithSigstopIsRefusedAfterSigcontAndTheCounterStaysExact(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("sigstop");
    try (RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30));
        JvmProcess holder = startClient(cluster, ns, "stale", 3_000, 1_000, "stopped")) {
      SharedCounter counter = sync.counter("seed");
      // Given a holder process that took the lock and read the counter
      await().atMost(Duration.ofSeconds(60)).until(() -> holder.output().contains("read "));
      holder.signal("STOP");

      // When others increment, locked and fast path, after its 1 s lease ran out
      for (int i = 0; i < 5; i++) {
        counter.update(v -> v + 1);
      }
      for (int i = 0; i < 50; i++) {
        counter.incrementAndGet();
      }
      holder.signal("CONT");

      // Then its write is refused, and no increment was lost
      assertThat(holder.waitFor(Duration.ofSeconds(60))).as(holder.output()).isZero();
      assertThat(holder.output()).contains("stale:");
      assertThat(counter.get()).isEqualTo(55);
    }
  }

  @Test
  void aPlainRedissonClientAndTaskpoolExcludeEachOtherOnOneLock(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("interop");
    RedissonClient plain =
        Redisson.create(RedisSettings.fromUrl(cluster.redisUrl()).toRedissonConfig());
    try (RedisSync sync =
        RedisSync.connect(RedisSettings.fromUrl(cluster.redisUrl()), Namespace.of(ns))) {
      DistributedLock lock = sync.lock("orders");
      RLock plainLock = plain.getLock(Namespace.of(ns).redisKey("{orders}", "lock"));

      // While a plain Redisson client holds the lock, taskpool cannot take it
      plainLock.lock();
      assertThat(lock.tryAcquire(Duration.ofMillis(300))).isEmpty();

      // Once it unlocks, taskpool takes it, fencing token and all
      plainLock.unlock();
      Optional<LockHandle> held = lock.tryAcquire(Duration.ofSeconds(5));
      assertThat(held).isPresent();
      assertThat(held.get().token()).isPositive();

      // While taskpool holds it, the plain client cannot take it; after release it can
      assertThat(plainLock.tryLock()).isFalse();
      held.get().close();
      assertThat(plainLock.tryLock()).isTrue();
      plainLock.unlock();
    } finally {
      plain.shutdown();
    }
  }

  @Test
  void afterARedisRestartTheLockAndCounterWorkAgain(@org.junit.jupiter.api.io.TempDir Path dir) {
    int port = FreePorts.next();
    RedisServerProcess redis = new RedisServerProcess(dir, port);
    RedisSettings settings =
        RedisSettings.fromUrl("redis://127.0.0.1:" + port)
            .withLockWatchdogTimeout(Duration.ofSeconds(2));
    try (RedisSync sync = RedisSync.connect(settings, Namespace.of("restart"))) {
      SharedCounter counter = sync.counter("seed");
      assertThat(counter.incrementAndGet()).isEqualTo(1);

      // When Redis goes away, operations fail with an error instead of hanging
      redis.close();
      assertThatThrownBy(counter::incrementAndGet).isInstanceOf(RuntimeException.class);

      // Then after it is back (empty: it keeps nothing on disk), lock and counter work again
      redis = new RedisServerProcess(dir, port);
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> counter.incrementAndGet() == 1);
      try (LockHandle held = counter.lock().acquire()) {
        counter.write(held, 41);
      }
      assertThat(counter.incrementAndGet()).isEqualTo(42);
    } finally {
      redis.close();
    }
  }

  @Test
  void theSeedExampleAsTaskpoolTasksCounts500000(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("seed-tasks");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30))) {
      fleet.start("w1", Map.of("concurrency", "3"));
      fleet.start("w2", Map.of("concurrency", "3"));
      fleet.awaitActiveMembers(2);

      List<TestTasks.LockedIncrements> tasks =
          Collections.nCopies(5, new TestTasks.LockedIncrements(cluster.redisUrl(), ns, 100_000));
      client.map(
          "locked-increments",
          tasks,
          Long.class,
          MapOptions.builder().chunkSize(1).timeout(Duration.ofMinutes(3)).build());

      assertThat(sync.counter("seed").get()).isEqualTo(500_000);
    }
  }

  @Test
  void aFencedMapRefusesTheWriteOfAHolderWhoseLeaseRanOut(LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("fenced-map");
    try (RedisSync first = connect(cluster, ns, Duration.ofSeconds(30));
        RedisSync second = connect(cluster, ns, Duration.ofSeconds(30))) {
      FencedMap stale = first.fencedMap("plan");
      FencedMap fresh = second.fencedMap("plan");
      LockHandle old = stale.lock().tryAcquire(Duration.ZERO, Duration.ofMillis(300)).orElseThrow();
      stale.replace(old, Map.of("a", "1"));

      // When another process takes the lock over once that lease ran out (it waits for it), and
      // writes, and the old holder then writes too
      try (LockHandle held = fresh.lock().tryAcquire(Duration.ofSeconds(5)).orElseThrow()) {
        fresh.replace(held, Map.of("b", "2"));
        assertThatThrownBy(() -> stale.replace(old, Map.of("a", "3")))
            .isInstanceOf(StaleLockException.class)
            .hasMessageContaining("no longer holds lock plan");
      }

      // Then the newer holder's map stands
      assertThat(first.fencedMap("plan").read()).isEqualTo(Map.of("b", "2"));
    }
  }

  @Test
  void aCounterKeyThatSomethingElseWroteIsOneLineNamingTheCounterAndItsKey(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("foreign");
    try (RedisSync sync = connect(cluster, ns, Duration.ofSeconds(30))) {
      sync.redisson()
          .<String>getBucket(ns + ":{hits}:value", org.redisson.client.codec.StringCodec.INSTANCE)
          .set("lots");

      assertThatThrownBy(() -> sync.counter("hits").get())
          .isInstanceOf(io.taskpool.core.TaskpoolException.class)
          .hasMessage(
              "counter hits ("
                  + ns
                  + ":{hits}:value) holds 'lots', not a whole number: something other than taskpool"
                  + " wrote it");
    }
  }

  private static RedisSync connect(LocalCluster cluster, String ns, Duration watchdog) {
    return RedisSync.connect(
        RedisSettings.fromUrl(cluster.redisUrl()).withLockWatchdogTimeout(watchdog),
        Namespace.of(ns));
  }

  private static JvmProcess startClient(
      LocalCluster cluster, String ns, String mode, int n, int watchdogMillis, String name) {
    return JvmProcess.start(
        SeedLockExample.class.getName(),
        List.of("-XX:+UseSerialGC", "-Xmx128m"),
        List.of(cluster.redisUrl(), ns, String.valueOf(watchdogMillis), mode, String.valueOf(n)),
        Path.of("target", "worker-logs", ns + "-" + name + ".log"));
  }

  private static void runClients(
      LocalCluster cluster, String ns, String mode, int n, int processes) {
    List<JvmProcess> clients = new ArrayList<>();
    try {
      for (int i = 0; i < processes; i++) {
        clients.add(startClient(cluster, ns, mode, n, 30_000, mode + i));
      }
      for (JvmProcess client : clients) {
        assertThat(client.waitFor(PROCESS_TIMEOUT)).as(client.output()).isZero();
      }
    } finally {
      clients.forEach(JvmProcess::close);
    }
  }
}
