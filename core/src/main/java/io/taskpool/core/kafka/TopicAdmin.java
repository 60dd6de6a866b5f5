package io.taskpool.core.kafka;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.TaskpoolException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Creates and removes taskpool's topics; idempotent, so every process may call it at start. */
public final class TopicAdmin implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final Admin admin;

  public TopicAdmin(KafkaSettings settings) {
    this.admin =
        Admin.create(
            settings.clientConfig(
                Map.of(
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) TIMEOUT.toMillis(),
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "taskpool-admin")));
  }

  /** Creates {@code topic} unless it exists; an existing topic keeps its partition count. */
  public void ensureTopic(String topic, int partitions, Map<String, String> configs) {
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(configs);
    try {
      await(admin.createTopics(List.of(newTopic)).all(), "create topic " + topic);
    } catch (TopicExistsException alreadyThere) {
      // Another process won the race, or the topic was made by hand: both are fine.
    }
  }

  /** The number of partitions of {@code topic}, or empty when it does not exist. */
  public Optional<Integer> partitionCount(String topic) {
    try {
      Map<String, TopicDescription> described =
          await(admin.describeTopics(Set.of(topic)).allTopicNames(), "describe topic " + topic);
      return Optional.of(described.get(topic).partitions().size());
    } catch (UnknownTopicOrPartitionException missing) {
      return Optional.empty();
    }
  }

  /** Records ever written to {@code topic} (sum of end offsets), 0 if it does not exist. */
  public long endOffsetTotal(String topic) {
    Optional<Integer> partitions = partitionCount(topic);
    if (partitions.isEmpty()) {
      return 0;
    }
    return await(EndOffsets.request(admin, topic, partitions.get()), "read end offsets of " + topic)
        .values()
        .stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * Grows {@code topic} to {@code partitions} (Kafka never shrinks a topic); no-op if it has as
   * many.
   */
  public void growPartitions(String topic, int partitions) {
    if (partitionCount(topic).orElse(0) < partitions) {
      await(
          admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all(),
          "add partitions to " + topic);
    }
  }

  /**
   * Sets group-level configs of a share group (KIP-932), e.g. {@code
   * share.auto.offset.reset=earliest} so a new group sees records produced before it existed; other
   * configs stay as they are.
   */
  public void setShareGroupConfigs(String group, Map<String, String> configs) {
    List<AlterConfigOp> ops =
        configs.entrySet().stream()
            .map(
                e ->
                    new AlterConfigOp(
                        new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
            .toList();
    await(
        admin
            .incrementalAlterConfigs(
                Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
            .all(),
        "configure share group " + group);
  }

  public void deleteTopic(String topic) {
    try {
      await(admin.deleteTopics(Set.of(topic)).all(), "delete topic " + topic);
    } catch (UnknownTopicOrPartitionException alreadyGone) {
      // Nothing to delete.
    }
  }

  public Admin admin() {
    return admin;
  }

  /**
   * What the cluster supports (one describeFeatures round trip); a broker too old to answer has no
   * features at all, which every check reads as "not supported".
   */
  public ClusterFeatures features() {
    try {
      FeatureMetadata features =
          await(admin.describeFeatures().featureMetadata(), "describe the cluster's features");
      Map<String, Short> levels = new HashMap<>();
      features
          .finalizedFeatures()
          .forEach((name, range) -> levels.put(name, range.maxVersionLevel()));
      return new ClusterFeatures(levels);
    } catch (TaskpoolException e) {
      if (e.getCause() instanceof UnsupportedVersionException) {
        return new ClusterFeatures(Map.of());
      }
      throw e;
    }
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime
          && (runtime instanceof TopicExistsException
              || runtime instanceof UnknownTopicOrPartitionException)) {
        throw runtime;
      }
      throw new TaskpoolException(
          "Kafka could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TaskpoolException(
          "Kafka did not answer within "
              + TIMEOUT.toSeconds()
              + " s to "
              + what
              + " (is the broker reachable?)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while waiting to " + what, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
