package io.taskpool.testkit.internal;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka ({@code apache/kafka}, KRaft) and Redis ({@code redis:7}) in Docker, when an engine runs.
 */
public final class ContainerServices {
  private ContainerServices() {}

  public static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  public static Service kafka() {
    KafkaContainer container =
        new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion())
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS", "1000")
            .withEnv("KAFKA_GROUP_SHARE_MIN_SESSION_TIMEOUT_MS", "3000")
            .withEnv("KAFKA_GROUP_SHARE_SESSION_TIMEOUT_MS", "6000")
            .withEnv("KAFKA_GROUP_SHARE_MIN_HEARTBEAT_INTERVAL_MS", "500")
            .withEnv("KAFKA_GROUP_SHARE_HEARTBEAT_INTERVAL_MS", "1000");
    container.start();
    return new ContainerService(container, container.getBootstrapServers(), "Kafka container");
  }

  public static Service redis() {
    GenericContainer<?> container =
        new GenericContainer<>("redis:7")
            .withExposedPorts(6379)
            .withCommand("redis-server", "--save", "", "--appendonly", "no");
    container.start();
    return new ContainerService(
        container,
        "redis://" + container.getHost() + ":" + container.getMappedPort(6379),
        "Redis container");
  }

  private record ContainerService(GenericContainer<?> container, String address, String kind)
      implements Service {
    @Override
    public String describe() {
      return kind + " at " + address;
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
