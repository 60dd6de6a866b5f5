package io.taskpool.core.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names of the Kafka record headers of taskpool's wire format (docs/wire-format.md). All values are
 * UTF-8 strings so that any Kafka client, kcat included, can write and read them.
 */
public final class WireHeaders {
  /** Task record: name of the handler to run. Required. */
  public static final String TASK = "taskpool.task";

  /** Task and reply record: the task's id, echoed on its reply. Required when a reply is wanted. */
  public static final String ID = "taskpool.id";

  /**
   * Task record: {@code topic} or {@code topic:partition} the reply goes to. No header, no reply.
   */
  public static final String REPLY_TO = "taskpool.reply-to";

  /**
   * Task record: {@code "true"} when the value is a JSON array of inputs run one by one (chunk).
   */
  public static final String BATCH = "taskpool.batch";

  /** Reply record: {@code ok} or {@code error}. */
  public static final String STATUS = "taskpool.status";

  /** Reply and dead-letter record: class name of the error. */
  public static final String ERROR_TYPE = "taskpool.error.type";

  /** Reply and dead-letter record: the error's message. */
  public static final String ERROR_MESSAGE = "taskpool.error.message";

  /** Dead-letter record: the error's stack trace. */
  public static final String ERROR_STACKTRACE = "taskpool.error.stacktrace";

  /** Dead-letter record: how many times the task was tried. */
  public static final String ATTEMPTS = "taskpool.attempts";

  /**
   * Task record: attempts an earlier worker already made (set on the copy a worker re-queues when a
   * handler ran past its hard time limit); the next attempt is this plus one. Optional.
   */
  public static final String PRIOR_ATTEMPTS = "taskpool.prior-attempts";

  /**
   * Dead-letter record: {@code reference} when the task was too large to copy (see wire format).
   */
  public static final String DEAD_LETTER_KIND = "taskpool.dead-letter";

  /** Dead-letter record: where the task record came from. */
  public static final String ORIGINAL_TOPIC = "taskpool.original.topic";

  public static final String ORIGINAL_PARTITION = "taskpool.original.partition";
  public static final String ORIGINAL_OFFSET = "taskpool.original.offset";

  /** Reply and dead-letter record: id of the worker that handled the task. */
  public static final String WORKER = "taskpool.worker";

  public static final String STATUS_OK = "ok";
  public static final String STATUS_ERROR = "error";

  private WireHeaders() {}

  /** The last value of header {@code name} as a string, or {@code null}. */
  public static String read(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  public static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
