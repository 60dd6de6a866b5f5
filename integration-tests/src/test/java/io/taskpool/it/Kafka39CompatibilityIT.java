package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.QueueMode;
import io.taskpool.core.UnsupportedClusterException;
import io.taskpool.core.kafka.ClusterFeatures;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What taskpool does on a Kafka 3.9 cluster (a child process from the 3.9 server jars): PARTITIONED
 * mode and the coordinator work, the consumer group protocol falls back to classic, SHARED mode is
 * refused at start in one line. With the *OnKafka39IT classes this is the compatibility suite.
 */
@ExtendWith(LocalClusterExtension.class)
@ClusterSpec(kafka = KafkaRelease.V3_9, redis = RedisRelease.V6_2)
class Kafka39CompatibilityIT {
  private static final String REFUSAL =
      "SHARED mode needs brokers with share groups (Kafka 4.2+, share.version=1); this cluster"
          + " reports Kafka 3.9 with no share.version feature: use PARTITIONED mode or upgrade the"
          + " brokers";

  @Test
  void theClusterIsKafka39WithoutShareGroupsOrTheConsumerGroupProtocol(LocalCluster cluster) {
    try (TopicAdmin admin = new TopicAdmin(cluster.kafkaSettings())) {
      ClusterFeatures features = admin.features();

      assertThat(features.release()).isEqualTo("3.9");
      assertThat(features.shareGroups()).isFalse();
      assertThat(features.consumerGroupProtocol()).isFalse();
    }
  }

  @Test
  void aSharedWorkerIsRefusedAtStartWithOneLineNamingTheMissingFeature(LocalCluster cluster) {
    WorkerOptions options =
        WorkerOptions.builder()
            .kafka(cluster.kafkaSettings())
            .namespace(LocalCluster.uniqueNamespace("shared39"))
            .queueMode(QueueMode.SHARED)
            .build();
    try (Worker worker = new Worker(options)) {
      assertThatThrownBy(worker::start)
          .isInstanceOf(UnsupportedClusterException.class)
          .hasMessage(REFUSAL);
    }
  }

  @Test
  void aSharedWorkerProcessExitsNonZeroWithTheRefusalInsteadOfRetrying(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("shared39p");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns)) {
      JvmProcess worker = fleet.start("w1", Map.of("queue.mode", "shared"));

      assertThat(worker.waitFor(Duration.ofSeconds(60))).as(worker.output()).isEqualTo(2);
      assertThat(worker.output()).contains("taskpool worker: " + REFUSAL);
    }
  }

  @Test
  void aSharedCoordinatorIsRefusedAtStart(LocalCluster cluster) {
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-a")
            .statusPort(0)
            .namespace(LocalCluster.uniqueNamespace("shared39c"))
            .queueMode(QueueMode.SHARED)
            .workerClassPath(JvmProcess.currentClassPath())
            .build();

    assertThatThrownBy(
            () -> new Coordinator(options, Path.of("target", "worker-logs", "shared39c")))
        .isInstanceOf(UnsupportedClusterException.class)
        .hasMessage(REFUSAL);
  }

  @Test
  void aWorkerAskingForTheConsumerGroupProtocolSaysOnceItJoinsWithTheClassicOneAndServes(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("kip848on39");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      JvmProcess worker = fleet.start("w1", Map.of("group.protocol", "consumer"));

      List<Integer> inputs = IntStream.range(0, 1_000).boxed().toList();
      List<Integer> results =
          client.map(
              "square",
              inputs,
              Integer.class,
              MapOptions.builder().timeout(Duration.ofMinutes(2)).build());

      assertThat(results).containsExactlyElementsOf(inputs.stream().map(n -> n * n).toList());
      assertThat(worker.output().split("joining with the classic protocol instead", -1))
          .as(worker.output())
          .hasSize(2);
      assertThat(worker.output())
          .contains("the cluster (Kafka 3.9) lacks the consumer group protocol");
    }
  }

  @Test
  void theCoordinatorGrowsThePoolOnABacklogAndShrinksItWhenDrained(LocalCluster cluster) {
    CoordinatorIT.backlogGrowsThePoolToMaxAndDrainedItShrinksToMin(cluster);
  }
}
