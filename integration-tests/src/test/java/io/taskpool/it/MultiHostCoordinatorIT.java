package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.testkit.internal.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two hosts' coordinators (real processes) sharing one queue's pool through Redis. */
@ExtendWith(LocalClusterExtension.class)
class MultiHostCoordinatorIT {
  private static final long POLL_MS = 1_000;
  private static final long TTL_MS = 3_000;

  @Test
  void twoHostsShareTheQuotaAndWhenTheLeaderIsKilledTheSurvivorLeadsAndTakesItsShare(
      LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("hosts");
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    try (TaskClient client =
        TaskClient.connect(
            ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // A backlog that stays for the whole test: 4,000 tasks of 1 s for workers running one at a
      // time
      IntStream.range(0, 4_000)
          .mapToObj(i -> client.put("sleep-ms", 1_000))
          .toList()
          .forEach(CompletableFuture::join);
      try (JvmProcess hostA =
              CoordinatorProcess.start(
                  cluster.kafkaBootstrap(),
                  cluster.redisUrl(),
                  ns,
                  "host-a",
                  portA,
                  1,
                  4,
                  1_000,
                  POLL_MS,
                  TTL_MS);
          JvmProcess hostB =
              CoordinatorProcess.start(
                  cluster.kafkaBootstrap(),
                  cluster.redisUrl(),
                  ns,
                  "host-b",
                  portB,
                  1,
                  4,
                  1_000,
                  POLL_MS,
                  TTL_MS)) {
        Map<String, JvmProcess> processes = Map.of("host-a", hostA, "host-b", hostB);
        Map<String, Integer> ports = Map.of("host-a", portA, "host-b", portB);

        // Then the pool of 4 (backlog 4,000 / 1,000 per worker) is split 2 + 2, both hosts agreeing
        // on one leader
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> running(portA) == 2 && running(portB) == 2);
        JsonNode statusA = status(portA);
        String leader = statusA.get("leader").asText();
        assertThat(leader).isIn("host-a", "host-b");
        assertThat(status(portB).get("leader").asText()).isEqualTo(leader);
        assertThat(statusA.get("hosts")).hasSize(2);
        // The leader's /metrics shows its acquisition of the leader lock
        String leaderMetrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + ports.get(leader) + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(leaderMetrics)
            .containsPattern(
                "taskpool_lock_wait_seconds_count\\{host=\""
                    + leader
                    + "\",lock=\"coord\\.default\",namespace=\""
                    + ns
                    + "\",outcome=\"acquired\",queue=\"default\"\\} [1-9]");

        // When the leader's host dies (coordinator SIGKILLed; its workers exit with it)
        String survivor = leader.equals("host-a") ? "host-b" : "host-a";
        int survivorPort = ports.get(survivor);
        long killedAt = System.nanoTime();
        processes.get(leader).kill();

        // Then within heartbeat TTL + lock watchdog (= TTL) and two cycles the survivor leads and
        // runs the whole pool
        await()
            .atMost(Duration.ofMillis(TTL_MS + 2 * POLL_MS + 3_000))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    quota(survivorPort) == 4
                        && status(survivorPort).get("leader").asText().equals(survivor));
        long movedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(status(survivorPort).get("hosts")).hasSize(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> running(survivorPort) == 4);
        System.out.printf(
            "quota moved to %s %d ms after the leader was killed (bound %d ms)%n",
            survivor, movedMillis, TTL_MS + 2 * POLL_MS + 3_000);
      }
    }
  }

  private JsonNode status(int port) throws IOException, InterruptedException {
    return new StatusPage("localhost", port).read();
  }

  private long running(int port) {
    return new StatusPage("localhost", port).running();
  }

  private int quota(int port) {
    return new StatusPage("localhost", port).quota();
  }
}
