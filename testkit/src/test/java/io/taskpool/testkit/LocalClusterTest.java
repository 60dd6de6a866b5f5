package io.taskpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalClusterTest {
  @Test
  void servicesNamedInTheEnvironmentAreUsedAsTheyAreAndNeverStarted() {
    Map<String, String> env =
        Map.of(
            "TASKPOOL_KAFKA_BOOTSTRAP",
            "broker.example:9092",
            "TASKPOOL_REDIS_URL",
            "rediss://cache.example:6380");

    try (LocalCluster cluster = LocalCluster.start(Path.of("target", "unused"), env)) {
      assertThat(cluster.kafkaBootstrap()).isEqualTo("broker.example:9092");
      assertThat(cluster.redisUrl()).isEqualTo("rediss://cache.example:6380");
      assertThat(cluster.describe()).contains("external Kafka").contains("external Redis");
    }
  }

  @Test
  void uniqueNamespacesDoNotRepeat() {
    assertThat(LocalCluster.uniqueNamespace("t"))
        .startsWith("t-")
        .isNotEqualTo(LocalCluster.uniqueNamespace("t"));
  }
}
