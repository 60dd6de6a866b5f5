package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.DeadLetterSummary;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.wire.WireHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The last few records of a queue's dead-letter topic, for the status page: read again only when
 * the topic's end moved, with a consumer of no group (it commits nothing).
 */
public final class DeadLetterTail implements AutoCloseable {
  private static final int KEEP = 5;
  private static final int MAX_MESSAGE = 300;

  private final KafkaSettings kafka;
  private final TopicPartition partition;
  private KafkaConsumer<byte[], byte[]> consumer;
  private long readUpTo = -1;
  private List<DeadLetterSummary> recent = List.of();

  public DeadLetterTail(KafkaSettings kafka, String topic) {
    this.kafka = kafka;
    this.partition = new TopicPartition(topic, 0);
  }

  /** The last dead letters, newest first, given the topic's end offset now. */
  public List<DeadLetterSummary> recent(long endOffset) {
    if (endOffset == readUpTo || endOffset <= 0) {
      return recent;
    }
    if (consumer == null) {
      consumer =
          new KafkaConsumer<>(
              kafka.clientConfig(
                  Map.of("enable.auto.commit", false, "client.id", "taskpool-coordinator-dlq")),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      consumer.assign(List.of(partition));
    }
    consumer.seek(partition, Math.max(0, endOffset - KEEP));
    List<DeadLetterSummary> read = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (consumer.position(partition) < endOffset && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        read.add(0, summary(record));
      }
    }
    readUpTo = endOffset;
    recent = List.copyOf(read.subList(0, Math.min(KEEP, read.size())));
    return recent;
  }

  private static DeadLetterSummary summary(ConsumerRecord<byte[], byte[]> record) {
    String kind = WireHeaders.read(record.headers(), WireHeaders.DEAD_LETTER_KIND);
    String message = WireHeaders.read(record.headers(), WireHeaders.ERROR_MESSAGE);
    if (message != null && message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    return new DeadLetterSummary(
        record.offset(),
        record.timestamp(),
        kind == null ? "task" : kind,
        WireHeaders.read(record.headers(), WireHeaders.TASK),
        WireHeaders.read(record.headers(), WireHeaders.ID),
        WireHeaders.read(record.headers(), WireHeaders.ERROR_TYPE),
        message);
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(2));
    }
  }
}
