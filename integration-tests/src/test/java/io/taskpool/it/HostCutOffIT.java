package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.it.TestTasks.Counted;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.NetworkLab;
import io.taskpool.testkit.NetworkLab.Host;
import io.taskpool.testkit.internal.FreePorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * Two hosts (network namespaces, each a coordinator with its workers) share one queue's pool; one
 * host's link is cut mid-map and brought back. Brokers and Redis listen on an address of this
 * namespace that both hosts reach. Needs root.
 */
@Tag("topology")
class HostCutOffIT {
  private static final Logger log = LoggerFactory.getLogger(HostCutOffIT.class);
  private static final long POLL_MS = 1_000;
  private static final long TTL_MS = 3_000;
  private static final int TASKS = 20_000;
  private static final int TASK_MS = 10;
  private final int statusPort = FreePorts.next();

  @Test
  void aHostCutOffLosesItsShareToTheOtherWithinTheHeartbeatTtlAndTakesItBackWhenItReturns(
      @TempDir Path dir) {
    try (NetworkLab lab = NetworkLab.create()) {
      String service = lab.addServiceAddress();
      Host a = lab.addHost("a");
      Host b = lab.addHost("b");
      try (LocalCluster cluster =
          LocalCluster.startEmbedded(dir, service, FreePorts.next(), FreePorts.next())) {
        String ns = LocalCluster.uniqueNamespace("cut");
        ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
        // Each host 1..4 workers; the 4 partitions cap the pool at 4: 2 + 2 while both are up
        try (JvmProcess hostA =
                CoordinatorProcess.startOn(
                    a,
                    cluster.kafkaBootstrap(),
                    cluster.redisUrl(),
                    ns,
                    statusPort,
                    1,
                    4,
                    1,
                    POLL_MS,
                    TTL_MS,
                    "task.partitions=4");
            JvmProcess hostB =
                CoordinatorProcess.startOn(
                    b,
                    cluster.kafkaBootstrap(),
                    cluster.redisUrl(),
                    ns,
                    statusPort,
                    1,
                    4,
                    1,
                    POLL_MS,
                    TTL_MS,
                    "task.partitions=4");
            TaskClient client =
                TaskClient.connect(
                    ClientOptions.builder()
                        .kafka(cluster.kafkaSettings())
                        .namespace(ns)
                        .taskPartitions(4)
                        .build())) {
          RunningMap map =
              RunningMap.start(
                  client, "counted", Counted.range(cluster.redisUrl(), ns, TASKS, TASK_MS));
          await("2 + 2 workers")
              .atMost(Duration.ofSeconds(90))
              .until(() -> running(a) == 2 && running(b) == 2);
          map.awaitProgress(2_000);

          // When host a's link goes down
          long cutAt = System.nanoTime();
          a.cutOff();

          // Then within the heartbeat TTL and a few cycles host b's quota covers the whole pool
          await("b takes the whole pool")
              .atMost(Duration.ofMillis(TTL_MS + 3 * POLL_MS + 5_000))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> quota(b) == 4);
          long failoverMillis = (System.nanoTime() - cutAt) / 1_000_000;
          await("b runs 4 workers").atMost(Duration.ofSeconds(60)).until(() -> running(b) == 4);

          // And when the link comes back, host a rejoins and the quotas split again
          a.reconnect();
          long reconnectedAt = System.nanoTime();
          await("quotas split again")
              .atMost(Duration.ofMillis(TTL_MS + 3 * POLL_MS + 5_000))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> quota(a) == 2 && quota(b) == 2);
          long rejoinMillis = (System.nanoTime() - reconnectedAt) / 1_000_000;

          // And the map completes with every result, in order; only a's in-flight work ran twice
          assertThat(map.results())
              .containsExactlyElementsOf(IntStream.range(0, TASKS).boxed().toList());
          assertThat(runs.neverRan(TASKS)).isZero();
          long duplicates = runs.duplicates(TASKS);
          log.info(
              "host cut off: quota moved in {} ms (TTL {} ms), split again {} ms after the link"
                  + " returned; longest pause {} ms; {} tasks ran twice",
              failoverMillis,
              TTL_MS,
              rejoinMillis,
              map.longestStall().toMillis(),
              duplicates);
          // Per worker of a (one thread, 200 ms commit interval): its last interval's tasks, the
          // running one, its prefetch
          int perWorker = 200 / TASK_MS + 1 + 1 + (int) Math.ceil(50.0 / TASK_MS);
          assertThat(duplicates).as("tasks run twice").isLessThanOrEqualTo(2L * perWorker);
          assertThat(hostA.isAlive()).isTrue();
        }
      }
    }
  }

  @Test
  void aLeaderCutOffFromRedisOnlyIsReplacedAndItsStaleQuotaWriteIsRefused(@TempDir Path dir) {
    try (NetworkLab lab = NetworkLab.create()) {
      String kafkaAddress = lab.addServiceAddress();
      String redisAddress = lab.addServiceAddress();
      Host a = lab.addHost("a");
      Host b = lab.addHost("b");
      try (LocalCluster cluster =
              LocalCluster.startEmbedded(
                  dir, kafkaAddress, FreePorts.next(), redisAddress, FreePorts.next());
          JedisPooled redis = new JedisPooled(URI.create(cluster.redisUrl()))) {
        String ns = LocalCluster.uniqueNamespace("fence");
        String planKey = ns + ":{coord.default}:map";
        try (JvmProcess hostA =
                CoordinatorProcess.startOn(
                    a,
                    cluster.kafkaBootstrap(),
                    cluster.redisUrl(),
                    ns,
                    statusPort,
                    1,
                    4,
                    1,
                    POLL_MS,
                    TTL_MS,
                    "task.partitions=4");
            JvmProcess hostB =
                CoordinatorProcess.startOn(
                    b,
                    cluster.kafkaBootstrap(),
                    cluster.redisUrl(),
                    ns,
                    statusPort,
                    1,
                    4,
                    1,
                    POLL_MS,
                    TTL_MS,
                    "task.partitions=4");
            TaskClient client =
                TaskClient.connect(
                    ClientOptions.builder()
                        .kafka(cluster.kafkaSettings())
                        .namespace(ns)
                        .taskPartitions(4)
                        .build())) {
          // A backlog that outlasts the test keeps the pool at 4: 2 + 2
          IntStream.range(0, 4_000)
              .mapToObj(i -> client.put("sleep-ms", 1_000))
              .toList()
              .forEach(CompletableFuture::join);
          await("2 + 2 workers")
              .atMost(Duration.ofSeconds(90))
              .until(() -> running(a) == 2 && running(b) == 2);
          String leaderName = redis.hget(planKey, "@leader");
          Host leader = leaderName.equals("a") ? a : b;
          Host follower = leader == a ? b : a;
          JvmProcess leaderProcess = leader == a ? hostA : hostB;

          // When the leader's host loses its route to Redis only (it still reaches Kafka)
          long cutAt = System.nanoTime();
          leader.blackhole(redisAddress);

          // Then the other host takes the lead and the whole pool once the lock's lease ran out
          await("the follower leads")
              .atMost(Duration.ofMillis(2 * TTL_MS + 3 * POLL_MS + 5_000))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () ->
                      follower.name().equals(redis.hget(planKey, "@leader"))
                          && quota(follower) == 4);
          long failoverMillis = (System.nanoTime() - cutAt) / 1_000_000;

          // And when the route returns, the former leader's write is refused and the plan stays the
          // new leader's
          leader.unblackhole(redisAddress);
          await("the former leader is refused")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      leaderProcess.output().contains("host " + leader.name() + " lost the lead"));
          await("one leader, quotas split again")
              .atMost(Duration.ofSeconds(60))
              .until(() -> quota(a) == 2 && quota(b) == 2);
          assertThat(redis.hget(planKey, "@leader")).isEqualTo(follower.name());
          await("the plan keeps its leader")
              .during(Duration.ofSeconds(5))
              .atMost(Duration.ofSeconds(6))
              .until(() -> follower.name().equals(redis.hget(planKey, "@leader")));
          // The pool never ran more workers than the hosts' maxima allow
          assertThat(running(a) + running(b)).isBetween(2L, 8L);
          log.info(
              "leader {} cut off from Redis: {} led after {} ms",
              leader.name(),
              follower.name(),
              failoverMillis);
        }
      }
    }
  }

  private long running(Host host) {
    return new StatusPage(host.address(), statusPort).running();
  }

  private int quota(Host host) {
    return new StatusPage(host.address(), statusPort).quota();
  }
}
