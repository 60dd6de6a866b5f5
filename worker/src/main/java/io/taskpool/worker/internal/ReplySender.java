package io.taskpool.worker.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.KafkaErrors;
import io.taskpool.core.wire.ReplyAddress;
import io.taskpool.core.wire.WireHeaders;
import io.taskpool.worker.middleware.DeadLetterMiddleware.DeadLetterWriter;
import io.taskpool.worker.middleware.TaskContext;
import io.taskpool.worker.spi.Delivery;
import io.taskpool.worker.spi.TaskHeaders;
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
import org.apache.kafka.common.errors.RecordTooLargeException;
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
  private static final int WRITE_ATTEMPTS = 3;

  /** Value of {@code taskpool.dead-letter} on a reply that could not be delivered. */
  public static final String DEAD_LETTER_REPLY = "reply";

  /** Error type of such a dead letter. */
  public static final String UNDELIVERABLE_REPLY_TYPE = "io.taskpool.worker.UndeliverableReply";

  // How long a reply topic found missing counts as missing before a reply asks Kafka again.
  private static final Duration MISSING_TOPIC_MEMORY = Duration.ofSeconds(30);

  private final KafkaProducer<byte[], byte[]> producer;
  private final JsonCodec json;
  private final String workerId;
  private final String deadLetterTopic;
  private final int maxRecordBytes;
  private final MissingTopics missingTopics = new MissingTopics(MISSING_TOPIC_MEMORY);
  private final Counter undeliverableReplies;

  /**
   * @param maxRecordBytes the producer's {@code max.request.size}
   * @param undeliverableReplies counts replies nobody could receive ({@link #undeliverableCounter})
   */
  public ReplySender(
      KafkaProducer<byte[], byte[]> producer,
      JsonCodec json,
      String workerId,
      String deadLetterTopic,
      int maxRecordBytes,
      Counter undeliverableReplies) {
    this.producer = producer;
    this.undeliverableReplies = undeliverableReplies;
    this.maxRecordBytes = maxRecordBytes;
    this.json = json;
    this.workerId = workerId;
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * {@code taskpool.replies.undeliverable} ({@code taskpool_replies_undeliverable_total}) in {@code
   * registry}.
   */
  public static Counter undeliverableCounter(MeterRegistry registry, Tags tags) {
    return Counter.builder("taskpool.replies.undeliverable")
        .description(
            "replies that could not be delivered (reply topic missing or refused), dead-lettered"
                + " instead")
        .tags(tags)
        .register(registry);
  }

  /** Sends a successful result; {@code onSent} runs once Kafka has it (or gave up on it). */
  public void sendResult(String replyTo, String taskId, byte[] value, Runnable onSent) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(WireHeaders.ID, WireHeaders.utf8(taskId));
    headers.add(WireHeaders.STATUS, WireHeaders.utf8(WireHeaders.STATUS_OK));
    if (estimatedSize(null, value, headers) > maxRecordBytes) {
      // The caller must hear of it rather than wait forever for a reply Kafka refuses.
      sendError(
          replyTo,
          taskId,
          new TaskpoolException(
              "the result of task "
                  + taskId
                  + " ("
                  + value.length
                  + " bytes) is larger than the reply limit (max.request.size "
                  + maxRecordBytes
                  + " bytes)"),
          onSent);
      return;
    }
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

  private void send(
      String replyTo, String taskId, byte[] value, RecordHeaders headers, Runnable onSent) {
    ReplyAddress address;
    try {
      address = ReplyAddress.parse(replyTo);
    } catch (TaskpoolException e) {
      undeliverable(replyTo, taskId, value, headers, e.getMessage(), onSent);
      return;
    }
    String missingFor = missingTopics.missing(address.topic());
    if (missingFor != null) {
      // Asking again would hold this thread for the producer's metadata wait (10 s) per reply.
      undeliverable(replyTo, taskId, value, headers, missingFor, onSent);
      return;
    }
    try {
      producer.send(
          new ProducerRecord<byte[], byte[]>(
              address.topic(), address.partition(), (byte[]) null, value, headers),
          (metadata, error) -> {
            if (error == null) {
              onSent.run();
              return;
            }
            // The caller is gone (its reply topic deleted), the topic never existed, or Kafka
            // refused: nobody can take this reply, and holding the offset would stall the
            // partition for good. It goes to the dead-letter topic instead, counted.
            if (KafkaErrors.meansMissingTopic(error)) {
              missingTopics.remember(address.topic());
            }
            undeliverable(
                replyTo,
                taskId,
                value,
                headers,
                KafkaErrors.sendFailure(address.topic(), error),
                onSent);
          });
    } catch (RuntimeException e) {
      undeliverable(
          replyTo, taskId, value, headers, KafkaErrors.sendFailure(address.topic(), e), onSent);
    }
  }

  /**
   * A reply nobody can receive: counted ({@code taskpool.replies.undeliverable}) and written to the
   * dead-letter topic as {@code taskpool.dead-letter: reply}, with the reply's id, status and
   * value, the address it was meant for and why it failed; {@code onSent} runs once that record was
   * written or refused.
   */
  private void undeliverable(
      String replyTo,
      String taskId,
      byte[] value,
      RecordHeaders replyHeaders,
      String why,
      Runnable onSent) {
    undeliverableReplies.increment();
    log.warn("task {}: reply to {} not delivered ({}); dead-lettered", taskId, replyTo, why);
    RecordHeaders headers = new RecordHeaders();
    headers.add(WireHeaders.DEAD_LETTER_KIND, WireHeaders.utf8(DEAD_LETTER_REPLY));
    headers.add(WireHeaders.ID, WireHeaders.utf8(taskId));
    headers.add(WireHeaders.STATUS, replyHeaders.lastHeader(WireHeaders.STATUS).value());
    headers.add(WireHeaders.REPLY_TO, WireHeaders.utf8(String.valueOf(replyTo)));
    headers.add(WireHeaders.ERROR_TYPE, WireHeaders.utf8(UNDELIVERABLE_REPLY_TYPE));
    headers.add(WireHeaders.ERROR_MESSAGE, WireHeaders.utf8(trim(why, MAX_HEADER_CHARS)));
    headers.add(WireHeaders.WORKER, WireHeaders.utf8(workerId));
    byte[] kept = estimatedSize(null, value, headers) <= maxRecordBytes ? value : null;
    try {
      producer.send(
          new ProducerRecord<byte[], byte[]>(deadLetterTopic, null, (byte[]) null, kept, headers),
          (metadata, error) -> {
            if (error != null) {
              log.warn(
                  "task {}: the undeliverable reply could not be dead-lettered either: {}",
                  taskId,
                  KafkaErrors.sendFailure(deadLetterTopic, error));
            }
            onSent.run();
          });
    } catch (RuntimeException e) {
      log.warn(
          "task {}: the undeliverable reply could not be dead-lettered either: {}",
          taskId,
          e.toString());
      onSent.run();
    }
  }

  /**
   * Copies the task record to the dead-letter topic with its error; returns once Kafka has it. A
   * dead letter always fits: the stack trace is trimmed to fit {@code max.request.size}, and a task
   * too large even then is dead-lettered as a reference (its topic, partition, offset, size and
   * error, header {@code taskpool.dead-letter: reference}) instead of a copy. Transient failures
   * are retried.
   *
   * @throws TaskpoolException when Kafka did not take it after the retries
   */
  @Override
  public void write(TaskContext task, Throwable error) {
    Delivery delivery = task.delivery();
    String trace = stackTrace(error);
    RecordHeaders headers = deadLetterHeaders(task, error, trace);
    int size = estimatedSize(delivery.key(), delivery.value(), headers);
    if (size > maxRecordBytes) {
      headers = deadLetterHeaders(task, error, trim(trace, 2_000));
      size = estimatedSize(delivery.key(), delivery.value(), headers);
    }
    if (size <= maxRecordBytes) {
      try {
        sendDurably(
            new ProducerRecord<>(deadLetterTopic, null, delivery.key(), delivery.value(), headers));
        return;
      } catch (TaskpoolException e) {
        if (!(e.getCause() instanceof RecordTooLargeException)) {
          throw e;
        }
      }
    }
    log.warn(
        "task {} ({} bytes) is too large to copy to {}; dead-lettering a reference to {}-{}@{}",
        task.taskId(),
        delivery.value() == null ? 0 : delivery.value().length,
        deadLetterTopic,
        delivery.topic(),
        delivery.partition(),
        delivery.offset());
    RecordHeaders reference = deadLetterHeaders(task, error, trim(trace, 2_000));
    reference.remove(WireHeaders.BATCH);
    reference.add(WireHeaders.DEAD_LETTER_KIND, WireHeaders.utf8("reference"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", delivery.topic());
    body.put("partition", delivery.partition());
    body.put("offset", delivery.offset());
    body.put("size", delivery.value() == null ? 0 : delivery.value().length);
    body.put("error", error.getClass().getName() + ": " + error.getMessage());
    sendDurably(
        new ProducerRecord<>(deadLetterTopic, null, delivery.key(), json.encode(body), reference));
  }

  /**
   * Puts a copy of a task back on its topic with the attempts made so far (header {@code
   * taskpool.prior-attempts}), for a worker to try again; returns once Kafka has it.
   */
  public void requeue(Delivery delivery, int attemptsMade) {
    RecordHeaders headers = copyWithoutPriorAttempts(delivery);
    headers.add(WireHeaders.PRIOR_ATTEMPTS, WireHeaders.utf8(String.valueOf(attemptsMade)));
    sendDurably(
        new ProducerRecord<>(delivery.topic(), null, delivery.key(), delivery.value(), headers));
  }

  private RecordHeaders deadLetterHeaders(TaskContext task, Throwable error, String trace) {
    Delivery delivery = task.delivery();
    RecordHeaders headers = copyWithoutPriorAttempts(delivery);
    headers.add(WireHeaders.ERROR_TYPE, WireHeaders.utf8(error.getClass().getName()));
    headers.add(
        WireHeaders.ERROR_MESSAGE,
        WireHeaders.utf8(trim(String.valueOf(error.getMessage()), MAX_HEADER_CHARS)));
    headers.add(WireHeaders.ERROR_STACKTRACE, WireHeaders.utf8(trace));
    headers.add(WireHeaders.ATTEMPTS, WireHeaders.utf8(String.valueOf(task.attempt())));
    headers.add(WireHeaders.ORIGINAL_TOPIC, WireHeaders.utf8(delivery.topic()));
    headers.add(
        WireHeaders.ORIGINAL_PARTITION, WireHeaders.utf8(String.valueOf(delivery.partition())));
    headers.add(WireHeaders.ORIGINAL_OFFSET, WireHeaders.utf8(String.valueOf(delivery.offset())));
    headers.add(WireHeaders.WORKER, WireHeaders.utf8(workerId));
    return headers;
  }

  // The task's own headers for a copy of it; the attempt count is the copy's to set anew.
  private static RecordHeaders copyWithoutPriorAttempts(Delivery delivery) {
    RecordHeaders headers = new RecordHeaders();
    for (TaskHeaders.Header header : delivery.headers()) {
      if (!header.key().equals(WireHeaders.PRIOR_ATTEMPTS)) {
        headers.add(header.key(), header.value());
      }
    }
    return headers;
  }

  // An upper bound of the record's size in a batch of one, as the producer checks it against
  // max.request.size: the record, its headers and the batch overhead (61 bytes, rounded up).
  private static int estimatedSize(byte[] key, byte[] value, RecordHeaders headers) {
    long size = 128L + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header header : headers) {
      size += 10L + header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  private void sendDurably(ProducerRecord<byte[], byte[]> record) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.send(record).get(60, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        if (cause instanceof RecordTooLargeException || attempt >= WRITE_ATTEMPTS) {
          // Not committing is the safe answer: the task comes back after a restart.
          throw new TaskpoolException(
              "could not write to "
                  + record.topic()
                  + " after "
                  + attempt
                  + " attempt(s): "
                  + cause,
              cause);
        }
        log.warn(
            "writing to {} failed (attempt {} of {}), retrying: {}",
            record.topic(),
            attempt,
            WRITE_ATTEMPTS,
            cause.toString());
        sleep(Duration.ofMillis(500L * attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TaskpoolException("interrupted while writing to " + record.topic(), e);
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while retrying a write", e);
    }
  }

  private static String trim(String text, int maxChars) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "\n...";
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return trim(out.toString(), MAX_HEADER_CHARS);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
