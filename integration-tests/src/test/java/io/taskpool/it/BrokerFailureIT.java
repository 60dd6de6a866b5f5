package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.Namespace;
import io.taskpool.it.TestTasks.Counted;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.KafkaNode;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brokers failing under a running map, on a 3-node KRaft cluster of processes (3 replicas,
 * min.insync.replicas=2): every result arrives, in order, and no task is lost; executions are
 * counted per task id in Redis.
 */
@Tag("topology")
@ExtendWith(LocalClusterExtension.class)
@ClusterSpec(brokers = 3)
class BrokerFailureIT {
  private static final Logger log = LoggerFactory.getLogger(BrokerFailureIT.class);
  private static final int TASKS = 20_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void sigkillingTheLeaderOfTheTaskPartitionsMidMapLosesNoTaskAndKeepsTheOrder(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("kill-task-leader");
    mapWhileALeaderDies(cluster, ns, Namespace.of(ns).taskTopic("default"));
  }

  @Test
  void sigkillingTheLeaderOfTheReplyTopicMidMapLosesNoResult(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("kill-reply-leader");
    mapWhileALeaderDies(cluster, ns, Namespace.of(ns).replyTopic("kill-reply-client"));
  }

  private static void mapWhileALeaderDies(LocalCluster cluster, String ns, String victimTopic) {
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder()
                    .kafka(cluster.kafkaSettings())
                    .namespace(ns)
                    .clientId("kill-reply-client")
                    .build())) {
      // Given two workers on the replicated cluster and a 20,000-task map under way
      List<JvmProcess> workers =
          List.of(
              fleet.start("w1", Map.of("concurrency", "4")),
              fleet.start("w2", Map.of("concurrency", "4")));
      fleet.awaitActiveMembers(2);
      RunningMap map =
          RunningMap.start(client, "counted", Counted.range(cluster.redisUrl(), ns, TASKS, 0))
              .awaitProgress(3_000);

      // When the broker leading partition 0 of the topic is SIGKILLed
      KafkaNode victim = cluster.kafkaLeaderOf(victimTopic, 0);
      victim.kill();
      try {
        // Then every result arrives, in input order, and every task ran
        assertThat(map.results())
            .containsExactlyElementsOf(IntStream.range(0, TASKS).boxed().toList());
        assertThat(runs.neverRan(TASKS)).isZero();
        long duplicates = runs.duplicates(TASKS);
        log.info(
            "leader of {} (node {}) SIGKILLed: longest pause {} ms, {} tasks ran twice",
            victimTopic,
            victim.id(),
            map.longestStall().toMillis(),
            duplicates);
        // No worker crashed, so none of its tasks may run again.
        assertThat(duplicates).as("tasks run twice").isZero();
        assertThat(workers).allMatch(JvmProcess::isAlive);
      } finally {
        victim.start();
      }
    }
  }

  @Test
  void aWholeClusterRestartMidMapIsRiddenOutByClientWorkersAndCoordinatorWithoutARestartByHand(
      LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("cluster-restart");
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-r")
            .statusPort(0)
            .namespace(ns)
            .workers(2, 2)
            .pollInterval(Duration.ofSeconds(1))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "4"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  coordinator.status() != null
                      && coordinator.status().workers().stream()
                              .filter(w -> "running".equals(w.state()))
                              .count()
                          == 2);
      RunningMap map =
          RunningMap.start(client, "counted", Counted.range(cluster.redisUrl(), ns, TASKS, 1))
              .awaitProgress(3_000);

      // When every broker is SIGKILLed and stays down for 10 s (then restarts on its log dir)
      List<KafkaNode> nodes = cluster.kafkaNodes();
      nodes.parallelStream().forEach(KafkaNode::kill);
      long frozen = map.done();
      await("no progress while the cluster is down")
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(12))
          .until(() -> map.done() == frozen);

      // Then the coordinator says it is not ready (its cycles cannot reach Kafka) ...
      String readyz = "http://localhost:" + coordinator.statusPort() + "/readyz";
      await("/readyz 503")
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(readyz).statusCode() == 503);
      assertThat(get(readyz).body()).startsWith("not ready: ");
      cluster.startKafkaNodes(nodes);

      // ... and once the brokers are back, the map completes with every result in order, run once
      assertThat(map.results())
          .containsExactlyElementsOf(IntStream.range(0, TASKS).boxed().toList());
      assertThat(runs.neverRan(TASKS)).isZero();
      log.info(
          "whole cluster down 10 s: longest pause {} ms, {} tasks ran twice, {} worker restarts",
          map.longestStall().toMillis(),
          runs.duplicates(TASKS),
          coordinator.status().restarts());
      assertThat(runs.duplicates(TASKS)).as("tasks run twice").isZero();

      // And the coordinator is ready again with its two workers, nobody having restarted anything
      // by hand
      await("/readyz 200")
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(readyz).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  coordinator.status().workers().stream()
                          .filter(w -> "running".equals(w.state()))
                          .count()
                      == 2);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
