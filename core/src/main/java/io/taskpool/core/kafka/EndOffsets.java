package io.taskpool.core.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * A topic's end offsets (the offset the next record will get) through the Admin API: the one place
 * taskpool asks the brokers for them, so topic totals and lags read the same numbers.
 */
final class EndOffsets {
  private EndOffsets() {}

  /** The end offset of each of {@code topic}'s first {@code partitions} partitions. */
  static KafkaFuture<Map<TopicPartition, Long>> request(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().thenApply(EndOffsets::offsets);
  }

  /**
   * The end offset of every partition of {@code topic}, waiting up to 10 s for each of its two
   * round trips.
   */
  static Map<TopicPartition, Long> read(Admin admin, String topic)
      throws ExecutionException, TimeoutException, InterruptedException {
    int partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    return request(admin, topic, partitions).get(10, TimeUnit.SECONDS);
  }

  private static Map<TopicPartition, Long> offsets(
      Map<TopicPartition, ListOffsetsResultInfo> infos) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }
}
