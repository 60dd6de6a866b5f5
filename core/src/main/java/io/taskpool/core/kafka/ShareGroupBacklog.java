package io.taskpool.core.kafka;

import io.taskpool.core.TaskpoolException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The backlog of a share group (KIP-932) as a {@link ConsumerLag}: per partition, the broker's
 * share-group lag ({@code Admin.listShareGroupOffsets}, records not yet acknowledged, in flight or
 * not, since Kafka 4.2), else end offset minus the share-partition start offset. The start offsets'
 * sum plays the committed total, so its growth is the group's throughput.
 */
public final class ShareGroupBacklog {
  private ShareGroupBacklog() {}

  public static ConsumerLag read(Admin admin, String group, String topic) {
    try {
      Map<TopicPartition, SharePartitionOffsetInfo> offsets =
          admin
              .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
              .partitionsToOffsetInfo(group)
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, Long> ends = EndOffsets.read(admin, topic);
      Map<Integer, Long> lag = new HashMap<>();
      long started = 0;
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        SharePartitionOffsetInfo info = offsets == null ? null : offsets.get(end.getKey());
        long start = info == null ? 0 : info.startOffset();
        started += start;
        long backlog =
            info != null && info.lag().isPresent() ? info.lag().get() : end.getValue() - start;
        lag.put(end.getKey().partition(), Math.max(0, backlog));
      }
      return new ConsumerLag(Map.copyOf(lag), started);
    } catch (ExecutionException | TimeoutException e) {
      throw new TaskpoolException(
          "cannot read the backlog of share group "
              + group
              + " on "
              + topic
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while reading a share group's backlog", e);
    }
  }
}
