package io.taskpool.testkit;

import io.taskpool.core.Namespace;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.kafka.ConsumerLag;
import io.taskpool.core.kafka.ShareGroupBacklog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/** Reads a worker group's membership and backlog through the Admin API, for waits in tests. */
public final class GroupProbe implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final String shareGroup;
  private final String topic;

  public GroupProbe(LocalCluster cluster, String namespace, String queue) {
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
    this.group = Namespace.of(namespace).workerGroup(queue);
    this.shareGroup = Namespace.of(namespace).shareGroup(queue);
    this.topic = Namespace.of(namespace).taskTopic(queue);
  }

  /** Members of the queue's share group ({@code SHARED} mode), 0 if it does not exist yet. */
  public int shareMembers() {
    try {
      return admin
          .describeShareGroups(List.of(shareGroup))
          .describedGroups()
          .get(shareGroup)
          .get(10, TimeUnit.SECONDS)
          .members()
          .size();
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * Records of the task topic the share group has not acknowledged ({@link Long#MAX_VALUE} if
   * unknown).
   */
  public long shareBacklog() {
    try {
      return ShareGroupBacklog.read(admin, shareGroup, topic).total();
    } catch (TaskpoolException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Members of the group that have partitions assigned (0 if the group does not exist yet). */
  public int activeMembers() {
    try {
      ConsumerGroupDescription description =
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(10, TimeUnit.SECONDS);
      return (int)
          description.members().stream()
              .filter(m -> !m.assignment().topicPartitions().isEmpty())
              .count();
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Partitions per member with any, largest first (empty if the group does not exist yet). */
  public List<Integer> partitionsPerMember() {
    try {
      ConsumerGroupDescription description =
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(10, TimeUnit.SECONDS);
      return description.members().stream()
          .map(m -> m.assignment().topicPartitions().size())
          .filter(n -> n > 0)
          .sorted(java.util.Comparator.reverseOrder())
          .toList();
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /**
   * Records in the task topic not yet committed by the group ({@link Long#MAX_VALUE} if unknown).
   */
  public long lag() {
    try {
      return ConsumerLag.read(admin, group, topic).total();
    } catch (TaskpoolException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
