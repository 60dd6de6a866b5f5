package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class MapAcrossWorkerProcessesIT {

  @Test
  void mapOfTenThousandInputsOverThreeWorkerProcessesReturnsEveryResultInInputOrder(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("map3");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // Given three worker processes sharing the queue
      for (int i = 1; i <= 3; i++) {
        fleet.start("w" + i, Map.of("concurrency", "2"));
      }
      fleet.awaitActiveMembers(3);

      // When 10,000 inputs are mapped, one task per record
      List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();
      List<Integer> results =
          client.map(
              "square",
              inputs,
              Integer.class,
              MapOptions.builder().chunkSize(1).timeout(Duration.ofMinutes(2)).build());

      // Then every result is there, in input order
      assertThat(results).containsExactlyElementsOf(inputs.stream().map(n -> n * n).toList());
    }
  }

  @Test
  void aWorkerKilledWithSigkillInTheMiddleOfAMapLosesNoTask(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("kill");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // Given two workers running slow-ish tasks
      JvmProcess victim = fleet.start("victim", Map.of("concurrency", "2"));
      fleet.start("survivor", Map.of("concurrency", "2"));
      fleet.awaitActiveMembers(2);

      // When one of them is killed with SIGKILL while a 20,000-task map runs
      List<Integer> inputs = IntStream.range(0, 20_000).boxed().toList();
      RunningMap map = RunningMap.start(client, "slow-square", inputs).awaitProgress(2_000);
      victim.kill();
      assertThat(victim.isAlive()).isFalse();

      // Then the map still completes with every result, none missing
      assertThat(map.results()).containsExactlyElementsOf(inputs.stream().map(n -> n * n).toList());
    }
  }
}
