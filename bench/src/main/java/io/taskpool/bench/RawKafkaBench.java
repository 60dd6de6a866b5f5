package io.taskpool.bench;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.kafka.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The ceiling: plain KafkaProducer and KafkaConsumer moving 100-byte records on this broker. */
final class RawKafkaBench {
  private final KafkaSettings kafka;
  private final String topic;
  private final int partitions;

  RawKafkaBench(KafkaSettings kafka, String topic, int partitions) {
    this.kafka = kafka;
    this.topic = topic;
    this.partitions = partitions;
  }

  /** Records/s for {@code count} records, acks=all, idempotent. */
  double produce(int count) {
    try (TopicAdmin admin = new TopicAdmin(kafka)) {
      admin.ensureTopic(topic, partitions, Map.of());
    }
    byte[] value = new byte[100];
    AtomicReference<Exception> failure = new AtomicReference<>();
    Stopwatch watch;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(
                Map.of(
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true)),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      watch = Stopwatch.start();
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(topic, value),
            (m, e) -> {
              if (e != null) {
                failure.set(e);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("raw produce failed", failure.get());
    }
    return count / watch.seconds();
  }

  /** Records/s reading {@code count} records back from the start. */
  double consume(int count) {
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(topic, p));
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(all);
      consumer.seekToBeginning(all);
      int read = 0;
      Stopwatch watch = Stopwatch.start();
      while (read < count) {
        read += consumer.poll(Duration.ofMillis(200)).count();
      }
      return read / watch.seconds();
    }
  }
}
