package io.taskpool.worker.internal;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.wire.ControlMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the namespace's control topic (outside any consumer group, so every worker sees every
 * message) for stop commands addressed to this worker, from the moment it started. It does not die
 * of an error: an unexpected one is logged at ERROR and listening resumes, after a backoff growing
 * to {@link #MAX_BACKOFF}, from the first command not yet handled; only {@link #close} ends it.
 */
public final class ControlListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlListener.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Consumer<byte[], byte[]> consumer;
  private final String workerId;
  private final String queue;
  private final JsonCodec json;
  private final java.util.function.Consumer<ControlMessage> onStop;
  private final Duration firstBackoff;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Opens a consumer at the end of {@code controlTopic} and starts listening on a daemon thread; if
   * that fails, the consumer is closed before the exception propagates.
   */
  public static ControlListener open(
      KafkaSettings kafka,
      String controlTopic,
      String workerId,
      String queue,
      JsonCodec json,
      java.util.function.Consumer<ControlMessage> onStop) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(
                Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "taskpool-control-" + workerId,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    try {
      return new ControlListener(
          consumer, controlTopic, workerId, queue, json, onStop, FIRST_BACKOFF);
    } catch (RuntimeException | Error e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** Takes {@code consumer} over (it is closed with the listener); see {@link #open}. */
  ControlListener(
      Consumer<byte[], byte[]> consumer,
      String controlTopic,
      String workerId,
      String queue,
      JsonCodec json,
      java.util.function.Consumer<ControlMessage> onStop,
      Duration firstBackoff) {
    this.consumer = consumer;
    this.workerId = workerId;
    this.queue = queue;
    this.json = json;
    this.onStop = onStop;
    this.firstBackoff = firstBackoff;
    TopicPartition partition = new TopicPartition(controlTopic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition, Duration.ofSeconds(30));
    thread = new Thread(this::listen, "taskpool-control-" + workerId);
    thread.setDaemon(true);
    thread.start();
  }

  private void listen() {
    int failures = 0;
    try {
      while (running) {
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            handle(record);
          }
          failures = 0;
        } catch (RuntimeException e) {
          // close() wakes or interrupts the poll (WakeupException, InterruptException) after
          // clearing running: that ends the loop quietly. Anything else is a failure to outlive.
          if (running) {
            failures = failed(failures + 1, e);
          }
        }
      }
    } finally {
      // close()'s interrupt has done its job; it must not cut the consumer's own close short.
      Thread.interrupted();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  // Logs the error and waits before listening again; close() ends the wait at once.
  private int failed(int failures, RuntimeException error) {
    Duration pause = backoff(failures, firstBackoff, MAX_BACKOFF);
    log.error(
        "control listener of worker {} failed ({} in a row); it listens again in {} ms, from the"
            + " first command not yet handled",
        workerId,
        failures,
        pause.toMillis(),
        error);
    // Clear a stray interrupt, so the next poll is not another failure; close() sets running first.
    Thread.interrupted();
    if (running) {
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException closing) {
        // close(), or a stray interrupt: the loop's condition tells which.
      }
    }
    return failures;
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    ControlMessage message;
    try {
      message = json.decode(record.value(), ControlMessage.class);
    } catch (RuntimeException e) {
      log.warn(
          "ignoring malformed control message at offset {}: {}", record.offset(), e.getMessage());
      return;
    }
    if (message.addresses(workerId, queue)) {
      log.info("stop command received: {}", message);
      try {
        onStop.accept(message);
      } catch (RuntimeException e) {
        // Read again after the backoff: a stop command is not lost to a passing failure.
        consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
        throw e;
      }
    }
  }

  /**
   * The wait after {@code failures} failures in a row: doubling from {@code first}, at most {@code
   * max}.
   */
  static Duration backoff(int failures, Duration first, Duration max) {
    int doublings = Math.min(Math.max(0, failures - 1), 30);
    long millis = first.toMillis() << doublings;
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }

  /** Stops listening (a backoff in progress ends at once) and closes the consumer; idempotent. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (Thread.currentThread() != thread) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
