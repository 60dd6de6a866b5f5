package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.SeedLockExample;
import io.taskpool.testkit.internal.FreePorts;
import io.taskpool.testkit.internal.RedisServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * Redis restarting (on its append-only file) under three processes doing locked and fast-path
 * increments.
 */
@Tag("topology")
class RedisRestartIT {
  private static final Logger log = LoggerFactory.getLogger(RedisRestartIT.class);
  private static final Pattern SUMMARY = Pattern.compile("succeeded (\\d+) uncertain (\\d+)");
  private static final int PER_PROCESS = 3_000;

  @Test
  void everyIncrementThatSucceededIsCountedOnceAndLockAndCounterWorkAfterTheRestart(
      @TempDir Path dir) {
    int port = FreePorts.next();
    String url = "redis://127.0.0.1:" + port;
    String ns = "restart-" + System.nanoTime();
    RedisServerProcess redis = RedisServerProcess.persistent(dir.resolve("redis"), port);
    List<JvmProcess> clients = new ArrayList<>();
    try (JedisPooled probe = new JedisPooled(URI.create(url))) {
      // Given three processes incrementing the counter, alternately under the lock and by the fast
      // path
      for (int i = 0; i < 3; i++) {
        clients.add(
            JvmProcess.start(
                SeedLockExample.class.getName(),
                List.of("-XX:+UseSerialGC", "-Xmx128m"),
                List.of(url, ns, "2000", "through-outage", String.valueOf(PER_PROCESS)),
                Path.of("target", "worker-logs", ns + "-" + i + ".log")));
      }
      String valueKey = ns + ":{seed}:value";
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> value(probe, valueKey) >= 1_000);

      // When Redis stops, stays away for 2 s (the clients keep retrying) and comes back on its data
      redis.close();
      await("clients riding out the outage")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> clients.stream().allMatch(JvmProcess::isAlive));
      redis = RedisServerProcess.persistent(dir.resolve("redis"), port);
      long atRestart =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> value(probe, valueKey), v -> v >= 1_000);

      // Then every process finishes, and the final value counts each success once
      long succeeded = 0;
      long uncertain = 0;
      for (JvmProcess client : clients) {
        assertThat(client.waitFor(Duration.ofMinutes(3))).as(client.output()).isZero();
        Matcher summary = SUMMARY.matcher(client.output());
        assertThat(summary.find()).as(client.output()).isTrue();
        succeeded += Long.parseLong(summary.group(1));
        uncertain += Long.parseLong(summary.group(2));
        // What reached the caller while Redis was away: taskpool's one-line error, naming the key
        assertThat(client.output())
            .as(client.output())
            .containsPattern(
                "first failure: Redis could not [a-z ]+ "
                    + java.util.regex.Pattern.quote(ns)
                    + ":\\{seed\\}");
      }
      long last = value(probe, valueKey);
      log.info(
          "Redis restart: {} at the restart, final {}, {} succeeded, {} failed while it was away",
          atRestart,
          last,
          succeeded,
          uncertain);
      assertThat(succeeded).isEqualTo(3L * PER_PROCESS);
      assertThat(last).isBetween(succeeded, succeeded + uncertain);
      assertThat(last).as("increments after the restart").isGreaterThan(atRestart);
    } finally {
      clients.forEach(JvmProcess::close);
      redis.close();
    }
  }

  private static long value(JedisPooled redis, String key) {
    String value = redis.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }
}
