package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.GroupMember;
import io.taskpool.core.QueueMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Every member of a queue's group as the brokers see it, whoever started it: a coordinator's
 * workers and plain {@code taskpool worker} processes alike. A worker's Kafka client id is {@code
 * taskpool-worker-<worker id>}, which is how a member is matched to the coordinator running it.
 */
public final class GroupMembers {
  public static final String CLIENT_ID_PREFIX = "taskpool-worker-";

  private GroupMembers() {}

  /**
   * @param coordinatorOf worker id to the host id of the coordinator that runs it
   * @return the members sorted by client id; empty when the group does not exist yet
   */
  public static List<GroupMember> describe(
      Admin admin, String group, QueueMode mode, Map<String, String> coordinatorOf)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<GroupMember> members = new ArrayList<>();
    try {
      if (mode == QueueMode.SHARED) {
        // A SHARED worker runs a share consumer per handler thread, client id <worker's>-<index>:
        // one member per worker here, with the partitions its consumers share.
        ShareGroupDescription description =
            admin
                .describeShareGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(5, TimeUnit.SECONDS);
        Map<String, Set<TopicPartition>> partitions = new TreeMap<>();
        Map<String, String> hosts = new HashMap<>();
        for (ShareMemberDescription m : description.members()) {
          String clientId = m.clientId().replaceFirst("-\\d+$", "");
          partitions
              .computeIfAbsent(clientId, c -> new HashSet<>())
              .addAll(m.assignment().topicPartitions());
          hosts.put(clientId, m.host());
        }
        partitions.forEach(
            (clientId, owned) ->
                members.add(member(clientId, hosts.get(clientId), owned.size(), coordinatorOf)));
      } else {
        ConsumerGroupDescription description =
            admin
                .describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(5, TimeUnit.SECONDS);
        for (MemberDescription m : description.members()) {
          members.add(
              member(
                  m.clientId(), m.host(), m.assignment().topicPartitions().size(), coordinatorOf));
        }
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
    }
    members.sort(Comparator.comparing(GroupMember::clientId));
    return members;
  }

  private static GroupMember member(
      String clientId, String host, int partitions, Map<String, String> coordinatorOf) {
    String workerId =
        clientId.startsWith(CLIENT_ID_PREFIX)
            ? clientId.substring(CLIENT_ID_PREFIX.length())
            : null;
    return new GroupMember(
        clientId,
        host.startsWith("/") ? host.substring(1) : host,
        partitions,
        workerId == null ? null : coordinatorOf.get(workerId));
  }
}
