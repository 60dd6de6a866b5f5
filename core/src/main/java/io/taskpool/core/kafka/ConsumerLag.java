package io.taskpool.core.kafka;

import io.taskpool.core.TaskpoolException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's backlog on one topic, read through the Admin API: end offset minus committed
 * offset per partition (a partition never committed counts from 0).
 *
 * @param lagByPartition backlog per partition number
 * @param committedTotal sum of committed offsets: its growth over time is the group's throughput
 */
public record ConsumerLag(Map<Integer, Long> lagByPartition, long committedTotal) {

  /** The total backlog. */
  public long total() {
    return lagByPartition.values().stream().mapToLong(Long::longValue).sum();
  }

  public int partitions() {
    return lagByPartition.size();
  }

  /** Reads the backlog of {@code group} on {@code topic}. */
  public static ConsumerLag read(Admin admin, String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, Long> ends = EndOffsets.read(admin, topic);
      Map<Integer, Long> lag = new HashMap<>();
      long committedTotal = 0;
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        long position = done == null ? 0 : done.offset();
        committedTotal += position;
        lag.put(end.getKey().partition(), Math.max(0, end.getValue() - position));
      }
      return new ConsumerLag(Map.copyOf(lag), committedTotal);
    } catch (ExecutionException | TimeoutException e) {
      throw new TaskpoolException(
          "cannot read the lag of group " + group + " on " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while reading lag", e);
    }
  }
}
