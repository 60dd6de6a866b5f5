package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The commands on a Kafka 3.9 cluster: PARTITIONED mode serves, SHARED mode is refused in one line.
 */
@ExtendWith(LocalClusterExtension.class)
@ClusterSpec(kafka = KafkaRelease.V3_9, redis = RedisRelease.V6_2)
class CliOnKafka39IT {
  private static final String REFUSAL =
      "taskpool: SHARED mode needs brokers with share groups (Kafka 4.2+, share.version=1); this"
          + " cluster reports Kafka 3.9 with no share.version feature: use PARTITIONED mode or"
          + " upgrade the brokers";

  @Test
  void aSharedWorkerIsAOneLineErrorWithANonZeroExit(LocalCluster cluster) {
    CliRun result =
        CliRun.of(
            null,
            "worker",
            "--queue-mode",
            "shared",
            "--bootstrap-servers",
            cluster.kafkaBootstrap(),
            "--namespace",
            LocalCluster.uniqueNamespace("cli39"));

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip()).isEqualTo(REFUSAL);
  }

  @Test
  void aSharedCoordinatorIsAOneLineErrorWithANonZeroExit(LocalCluster cluster) {
    CliRun result =
        CliRun.of(
            null,
            "coordinator",
            "--queue-mode",
            "shared",
            "--bootstrap-servers",
            cluster.kafkaBootstrap(),
            "--namespace",
            LocalCluster.uniqueNamespace("cli39"),
            "--status-port",
            "0");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip()).isEqualTo(REFUSAL);
  }

  @Test
  void mapPrintsEveryResultInInputOrder(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("cli39");
    try (Worker worker =
        new Worker(WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();
      String input =
          IntStream.rangeClosed(1, 3_000)
              .mapToObj(Integer::toString)
              .collect(Collectors.joining("\n", "", "\n"));

      CliRun result =
          CliRun.of(
              input,
              "map",
              "square",
              "--bootstrap-servers",
              cluster.kafkaBootstrap(),
              "--namespace",
              ns);

      assertThat(result.exit).as(result.err).isZero();
      assertThat(result.out.lines())
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, 3_000).mapToObj(n -> Long.toString((long) n * n)).toList());
    }
  }
}
