package io.taskpool.worker.internal;

import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.wire.ReplyAddress;
import io.taskpool.core.wire.WireHeaders;
import io.taskpool.worker.middleware.DeadLetterMiddleware.DeadLetterWriter;
import io.taskpool.worker.middleware.TaskContext;
import io.taskpool.worker.spi.Delivery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a worker produces (results, error replies, dead letters) through one shared,
 * idempotent producer.
 */
public final class ReplySender implements DeadLetterWriter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplySender.class);
  private static final int MAX_HEADER_CHARS = 16_000;

  private final KafkaProducer<byte[], byte[]> producer;
  private final JsonCodec json;
  private final String workerId;
  private final String deadLetterTopic;

  public ReplySender(KafkaProducer<byte[], byte[]> producer, JsonCodec json, String workerId, String deadLetterTopic) {
    this.producer = producer;
    this.json = json;
    this.workerId = workerId;
    this.deadLetterTopic = deadLetterTopic;
  }

  /** Sends a successful result; {@code onSent} runs once Kafka has it (or gave up on it). */
  public void sendResult(String replyTo, String taskId, byte[] value, Runnable onSent) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(WireHeaders.ID, WireHeaders.utf8(taskId));
    headers.add(WireHeaders.STATUS, WireHeaders.utf8(WireHeaders.STATUS_OK));
    send(replyTo, taskId, value, headers, onSent);
  }

  /** Sends the error a task failed with for good. */
  public void sendError(String replyTo, String taskId, Throwable error, Runnable onSent) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(WireHeaders.ID, WireHeaders.utf8(taskId));
    headers.add(WireHeaders.STATUS, WireHeaders.utf8(WireHeaders.STATUS_ERROR));
    headers.add(WireHeaders.ERROR_TYPE, WireHeaders.utf8(error.getClass().getName()));
    headers.add(WireHeaders.ERROR_MESSAGE, WireHeaders.utf8(String.valueOf(error.getMessage())));
    headers.add(WireHeaders.WORKER, WireHeaders.utf8(workerId));
    Map<String, String> body = new LinkedHashMap<>();
    body.put("type", error.getClass().getName());
    body.put("message", String.valueOf(error.getMessage()));
    send(replyTo, taskId, json.encode(body), headers, onSent);
  }

  private void send(String replyTo, String taskId, byte[] value, RecordHeaders headers, Runnable onSent) {
    ReplyAddress address;
    try {
      address = ReplyAddress.parse(replyTo);
    } catch (TaskpoolException e) {
      log.warn("task {}: cannot reply: {}", taskId, e.getMessage());
      onSent.run();
      return;
    }
    try {
      producer.send(
          new ProducerRecord<byte[], byte[]>(address.topic(), address.partition(), (byte[]) null, value, headers),
          (metadata, error) -> {
            if (error != null) {
              // The caller is gone (its reply topic deleted) or Kafka refused: nobody can take
              // this reply, and holding the offset would stall the partition for good.
              log.warn("task {}: reply to {} not delivered: {}", taskId, replyTo, error.toString());
            }
            onSent.run();
          });
    } catch (RuntimeException e) {
      log.warn("task {}: reply to {} not sent: {}", taskId, replyTo, e.toString());
      onSent.run();
    }
  }

  /** Copies the task record to the dead-letter topic with its error; returns once Kafka has it. */
  @Override
  public void write(TaskContext task, Throwable error) {
    Delivery delivery = task.delivery();
    RecordHeaders headers = new RecordHeaders();
    for (Header header : delivery.headers()) {
      headers.add(header);
    }
    headers.add(WireHeaders.ERROR_TYPE, WireHeaders.utf8(error.getClass().getName()));
    headers.add(WireHeaders.ERROR_MESSAGE, WireHeaders.utf8(String.valueOf(error.getMessage())));
    headers.add(WireHeaders.ERROR_STACKTRACE, WireHeaders.utf8(stackTrace(error)));
    headers.add(WireHeaders.ATTEMPTS, WireHeaders.utf8(String.valueOf(task.attempt())));
    headers.add(WireHeaders.ORIGINAL_TOPIC, WireHeaders.utf8(delivery.topic()));
    headers.add(WireHeaders.ORIGINAL_PARTITION, WireHeaders.utf8(String.valueOf(delivery.partition())));
    headers.add(WireHeaders.ORIGINAL_OFFSET, WireHeaders.utf8(String.valueOf(delivery.offset())));
    headers.add(WireHeaders.WORKER, WireHeaders.utf8(workerId));
    try {
      producer.send(new ProducerRecord<>(deadLetterTopic, null, delivery.key(), delivery.value(), headers)).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Not committing is the safe answer: the task comes back after a restart.
      throw new TaskpoolException("could not write task to dead-letter topic " + deadLetterTopic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while dead-lettering a task", e);
    }
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String trace = out.toString();
    return trace.length() <= MAX_HEADER_CHARS ? trace : trace.substring(0, MAX_HEADER_CHARS) + "\n...";
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
