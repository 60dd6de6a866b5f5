package io.taskpool.worker.internal;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.wire.ControlMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the namespace's control topic (outside any consumer group, so every worker sees every
 * message) for stop commands addressed to this worker, from the moment it started.
 */
public final class ControlListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlListener.class);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  public ControlListener(KafkaSettings kafka, String controlTopic, String workerId, String queue, JsonCodec json, Consumer<ControlMessage> onStop) {
    consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "taskpool-control-" + workerId, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    TopicPartition partition = new TopicPartition(controlTopic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition, Duration.ofSeconds(30));
    thread =
        new Thread(
            () -> {
              try {
                while (running) {
                  for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ControlMessage message;
                    try {
                      message = json.decode(record.value(), ControlMessage.class);
                    } catch (RuntimeException e) {
                      log.warn("ignoring malformed control message at offset {}: {}", record.offset(), e.getMessage());
                      continue;
                    }
                    if (message.addresses(workerId, queue)) {
                      log.info("stop command received: {}", message);
                      onStop.accept(message);
                    }
                  }
                }
              } catch (WakeupException closing) {
                // close() was called.
              } finally {
                consumer.close(Duration.ofSeconds(5));
              }
            },
            "taskpool-control-" + workerId);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
