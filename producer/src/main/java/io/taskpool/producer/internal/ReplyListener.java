package io.taskpool.producer.internal;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.wire.WireHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this client's reply partition on its own thread and hands each reply to the callback
 * registered under its task id. Replies nobody waits for any more (cancelled, timed out, a
 * redelivered task's second answer) are dropped.
 */
public final class ReplyListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);

  /** Receives the reply record of one task. Runs on the reply thread: keep it short. */
  @FunctionalInterface
  public interface ReplyCallback {
    void onReply(ConsumerRecord<byte[], byte[]> reply);
  }

  private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts reading {@code partition}; {@code fromStart} for a private topic (nothing old in it),
   * else from its current end.
   */
  public ReplyListener(
      KafkaSettings kafka, TopicPartition partition, boolean fromStart, String clientId) {
    this.consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(
                Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "taskpool-replies-" + clientId,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    5000,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                    100)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    consumer.assign(List.of(partition));
    if (fromStart) {
      consumer.seekToBeginning(List.of(partition));
    } else {
      consumer.seekToEnd(List.of(partition));
    }
    // Resolve the position now, so no reply sent after this constructor returns can be skipped.
    consumer.position(partition, Duration.ofSeconds(30));
    this.thread = new Thread(this::run, "taskpool-replies-" + clientId);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Registers the callbacks of task {@code id}; call before sending the task. {@code onAbandoned}
   * runs instead of {@code onReply} if this listener closes first.
   */
  public void expect(String id, ReplyCallback onReply, Consumer<RuntimeException> onAbandoned) {
    waiting.put(id, new Waiter(onReply, onAbandoned));
  }

  /** Stops waiting for task {@code id}. */
  public void forget(String id) {
    waiting.remove(id);
  }

  /** Number of tasks whose reply has not arrived. */
  public int waitingCount() {
    return waiting.size();
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          dispatch(record);
        }
      }
    } catch (WakeupException closing) {
      // close() woke us up.
    } catch (RuntimeException e) {
      log.error("reply listener stopped; pending tasks will time out", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void dispatch(ConsumerRecord<byte[], byte[]> record) {
    String id = WireHeaders.read(record.headers(), WireHeaders.ID);
    Waiter waiter = id == null ? null : waiting.remove(id);
    if (waiter == null) {
      return;
    }
    try {
      waiter.onReply().onReply(record);
    } catch (RuntimeException e) {
      log.warn("reply callback of task {} failed", id, e);
    }
  }

  /** Stops reading; every task still waiting is told its reply will not come. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TaskpoolException closed =
        new TaskpoolException("the client closed before the task's reply arrived");
    for (String id : waiting.keySet()) {
      Waiter waiter = waiting.remove(id);
      if (waiter != null) {
        waiter.onAbandoned().accept(closed);
      }
    }
  }

  private record Waiter(ReplyCallback onReply, Consumer<RuntimeException> onAbandoned) {}
}
