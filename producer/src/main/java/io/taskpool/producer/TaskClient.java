package io.taskpool.producer;

import com.fasterxml.jackson.databind.JavaType;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.TaskFailedException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.KafkaErrors;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.core.wire.ControlMessage;
import io.taskpool.core.wire.ReplyAddress;
import io.taskpool.core.wire.WireHeaders;
import io.taskpool.producer.internal.MapCall;
import io.taskpool.producer.internal.ReplyListener;
import io.taskpool.producer.internal.ResultWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Submits tasks to taskpool workers and gathers their results: the distributed counterpart of
 * Python's {@code multiprocessing.Pool} ({@code apply_async}, {@code map}, {@code imap}, {@code
 * imap_unordered}, {@code starmap}) and {@code Queue.put}. Thread-safe; one instance per process is
 * plenty. Replies come back on this client's own reply topic, so clients never read each other's
 * results.
 *
 * <pre>{@code
 * try (TaskClient pool = TaskClient.connect(ClientOptions.builder().bootstrapServers("localhost:9092").build())) {
 *   List<Integer> squares = pool.map("square", List.of(1, 2, 3), Integer.class);
 * }
 * }</pre>
 *
 * <p>Delivery is at-least-once: a task whose worker died runs again elsewhere, and its first reply
 * wins.
 */
public final class TaskClient implements AutoCloseable {
  /**
   * Largest chunk automatic chunking picks: ~70 KB of small JSON values, far below Kafka's 1 MB
   * limit.
   */
  static final int MAX_AUTO_CHUNK = 10_000;

  /**
   * Chunks a map keeps in flight by default, so throughput is not bound by one chunk's round trip.
   */
  static final int CHUNKS_IN_FLIGHT = 32;

  private final ClientOptions options;
  private final JsonCodec json = new JsonCodec();
  private final KafkaProducer<byte[], byte[]> producer;
  private final ReplyListener replies;
  private final ReplyAddress replyAddress;
  private final boolean ownsReplyTopic;
  private final String taskTopic;
  private final int taskPartitions;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong spread = new AtomicLong();
  private final AtomicLong sends = new AtomicLong();
  // Unkeyed tasks per partition in a row: even enough for slow backlogs, batches still fill.
  private static final int RUN = 16;
  private volatile int partitionCount;
  private final ScheduledExecutorService timer;
  // Header values that repeat on every record, encoded once.
  private final byte[] replyToHeader;
  private static final int CACHED_TASK_NAMES = 1024;
  private final Map<String, byte[]> taskNameHeaders =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TaskClient(ClientOptions options) {
    this.options = options.validate();
    Namespace ns = options.namespace();
    this.taskTopic = ns.taskTopic(options.queue());
    KafkaSettings kafka = options.kafka();
    try (TopicAdmin topics = new TopicAdmin(kafka)) {
      topics.ensureTopic(taskTopic, options.taskPartitions(), Map.of());
      this.taskPartitions = topics.partitionCount(taskTopic).orElse(options.taskPartitions());
      this.partitionCount = taskPartitions;
      if (options.replyTopic().isPresent()) {
        this.replyAddress = new ReplyAddress(options.replyTopic().get(), options.replyPartition());
        this.ownsReplyTopic = false;
      } else {
        this.replyAddress = new ReplyAddress(ns.replyTopic(options.clientId()), 0);
        this.ownsReplyTopic = true;
        // A crashed client leaves its reply topic behind; retention keeps it small.
        topics.ensureTopic(
            replyAddress.topic(),
            1,
            Map.of("retention.ms", String.valueOf(Duration.ofHours(1).toMillis())));
      }
    }
    this.replyToHeader = WireHeaders.utf8(replyAddress.toString());
    this.producer =
        new KafkaProducer<>(
            kafka.clientConfig(producerDefaults(options.clientId())),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    try {
      this.replies =
          new ReplyListener(
              kafka,
              new TopicPartition(replyAddress.topic(), replyAddress.partition()),
              ownsReplyTopic,
              options.clientId());
    } catch (RuntimeException e) {
      // A client that cannot connect leaks nothing: its producer and its reply topic go with it.
      producer.close(Duration.ZERO);
      deleteOwnReplyTopic();
      throw e;
    }
    ScheduledThreadPoolExecutor timeouts =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "taskpool-timeouts-" + options.clientId());
              t.setDaemon(true);
              return t;
            });
    // A cancelled timer leaves the queue at once: a million answered submits hold no timers.
    timeouts.setRemoveOnCancelPolicy(true);
    this.timer = timeouts;
  }

  /**
   * Connects to the cluster, creating the task topic and this client's reply topic if needed.
   *
   * @throws TaskpoolException when the cluster cannot be reached
   */
  public static TaskClient connect(ClientOptions options) {
    return new TaskClient(options);
  }

  private static Map<String, Object> producerDefaults(String clientId) {
    return Map.of(
        ProducerConfig.CLIENT_ID_CONFIG,
        "taskpool-client-" + clientId,
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        // Latency first: batches still form under load while requests are in flight.
        ProducerConfig.LINGER_MS_CONFIG,
        0,
        ProducerConfig.BATCH_SIZE_CONFIG,
        32 * 1024);
  }

  // ---------------------------------------------------------------- single tasks

  /**
   * Runs {@code task} on {@code payload} somewhere in the pool.
   *
   * @return the result, or a future failed with {@link TaskFailedException} (the worker's error
   *     type and message) or {@link TaskTimeoutException} (the client's {@code timeout})
   */
  public <R> CompletableFuture<R> submit(String task, Object payload, Class<R> resultType) {
    return submit(task, payload, null, resultType);
  }

  /** As {@link #submit(String, Object, Class)}; tasks with the same {@code key} run in order. */
  public <R> CompletableFuture<R> submit(
      String task, Object payload, String key, Class<R> resultType) {
    requireOpen();
    JavaType type = json.type(resultType);
    String id = nextId();
    CompletableFuture<R> result = new CompletableFuture<>();
    replies.expect(
        id,
        reply -> {
          try {
            result.complete(json.decode(successValue(id, reply), type));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        },
        result::completeExceptionally);
    result.whenComplete((value, error) -> replies.forget(id));
    failAfter(
        result,
        options.timeout(),
        "task " + id + " (" + task + ") had no result after " + options.timeout());
    send(task, id, key, json.encode(payload), false)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
              }
            });
    return result;
  }

  /** Python's {@code Pool.apply_async}: same as {@link #submit(String, Object, Class)}. */
  public <R> CompletableFuture<R> applyAsync(String task, Object payload, Class<R> resultType) {
    return submit(task, payload, resultType);
  }

  /**
   * Python's {@code Queue.put}: enqueues a task whose result nobody waits for.
   *
   * @return completes once Kafka has the task durably (acks=all)
   */
  public CompletableFuture<Void> put(String task, Object payload) {
    return put(task, payload, null);
  }

  public CompletableFuture<Void> put(String task, Object payload, String key) {
    return send(task, null, key, json.encode(payload), false);
  }

  // ---------------------------------------------------------------- the Pool API

  /** Python's {@code Pool.map}: every result, in input order; blocks until all are there. */
  public <R> List<R> map(String task, Iterable<?> inputs, Class<R> resultType) {
    return map(task, inputs, resultType, MapOptions.defaults());
  }

  /**
   * As {@link #map(String, Iterable, Class)}.
   *
   * @throws TaskFailedException the first failed task's error
   * @throws TaskTimeoutException when {@code options.timeout} passed first
   */
  public <R> List<R> map(String task, Iterable<?> inputs, Class<R> resultType, MapOptions options) {
    int chunk =
        options.chunkSize() == MapOptions.AUTO ? autoChunkSize(inputs) : options.chunkSize();
    List<R> results =
        inputs instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
    try (TaskStream<R> stream =
        start(task, inputs.iterator(), sizeOf(inputs), resultType, options, chunk, true)) {
      stream.forEachRemaining(results::add);
    }
    return results;
  }

  /**
   * Python's {@code Pool.starmap}: each element of {@code argumentLists} is spread over the
   * handler's parameters.
   */
  public <R> List<R> starmap(
      String task, Iterable<? extends List<?>> argumentLists, Class<R> resultType) {
    return map(task, argumentLists, resultType, MapOptions.defaults());
  }

  public <R> List<R> starmap(
      String task,
      Iterable<? extends List<?>> argumentLists,
      Class<R> resultType,
      MapOptions options) {
    return map(task, argumentLists, resultType, options);
  }

  /**
   * Python's {@code Pool.imap}: results in input order as they become available. The input is read
   * lazily, with at most {@code window} tasks outstanding, so it may be endless.
   */
  public <R> TaskStream<R> imap(
      String task, Iterator<?> inputs, Class<R> resultType, MapOptions options) {
    return start(task, inputs, -1, resultType, options, Math.max(1, options.chunkSize()), true);
  }

  public <R> TaskStream<R> imap(String task, Iterator<?> inputs, Class<R> resultType) {
    return imap(task, inputs, resultType, MapOptions.defaults());
  }

  /** Python's {@code Pool.imap_unordered}: results as they complete. */
  public <R> TaskStream<R> imapUnordered(
      String task, Iterator<?> inputs, Class<R> resultType, MapOptions options) {
    return start(task, inputs, -1, resultType, options, Math.max(1, options.chunkSize()), false);
  }

  public <R> TaskStream<R> imapUnordered(String task, Iterator<?> inputs, Class<R> resultType) {
    return imapUnordered(task, inputs, resultType, MapOptions.defaults());
  }

  // ---------------------------------------------------------------- control

  /**
   * Sends the sentinel: tells the addressed workers to stop (see {@link ControlMessage}).
   *
   * @return completes once Kafka has the message
   */
  public CompletableFuture<Void> sendControl(ControlMessage message) {
    return sendRecord(
        new ProducerRecord<>(options.namespace().controlTopic(), null, json.encode(message)));
  }

  /** The topic this client submits tasks to. */
  public String taskTopic() {
    return taskTopic;
  }

  public ClientOptions options() {
    return options;
  }

  /**
   * Closes the client; futures and map calls still waiting fail with a {@link TaskpoolException}. A
   * second call does nothing; calls other than {@code close} on a closed client throw {@link
   * IllegalStateException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    replies.close();
    producer.close(Duration.ofSeconds(10));
    timer.shutdownNow();
    deleteOwnReplyTopic();
  }

  private void deleteOwnReplyTopic() {
    if (ownsReplyTopic) {
      try (TopicAdmin topics = new TopicAdmin(options.kafka())) {
        topics.deleteTopic(replyAddress.topic());
      } catch (TaskpoolException e) {
        // The topic's retention cleans it up anyway.
      }
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this TaskClient is closed");
    }
  }

  // ---------------------------------------------------------------- internals

  private <R> TaskStream<R> start(
      String task,
      Iterator<?> inputs,
      long total,
      Class<R> resultType,
      MapOptions options,
      int chunkSize,
      boolean ordered) {
    requireOpen();
    // Enough chunks in flight to hide the round trip, whatever the chunk size.
    int window =
        options.window().orElse(Math.max(this.options.window(), chunkSize * CHUNKS_IN_FLIGHT));
    ResultWindow<R> results =
        ordered ? ResultWindow.ordered(window) : ResultWindow.arrivalOrder(window);
    JavaType listType =
        json.typeFactory().constructCollectionType(List.class, json.type(resultType));
    long deadline =
        options.timeout().map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
    MapCall.Transport<R> transport =
        new MapCall.Transport<R>() {
          @Override
          public String nextId() {
            return TaskClient.this.nextId();
          }

          @Override
          public void expect(
              String id,
              ReplyListener.ReplyCallback onReply,
              Consumer<RuntimeException> onAbandoned) {
            replies.expect(id, onReply, onAbandoned);
          }

          @Override
          public void forget(String id) {
            replies.forget(id);
          }

          @Override
          public CompletableFuture<Void> send(String id, List<?> chunk) {
            boolean batch = chunkSize > 1;
            byte[] value = batch ? json.encode(chunk) : json.encode(chunk.get(0));
            return TaskClient.this.send(task, id, null, value, batch);
          }

          @Override
          public List<R> decode(String id, ConsumerRecord<byte[], byte[]> reply) {
            byte[] value = successValue(id, reply);
            return chunkSize > 1
                ? json.decode(value, listType)
                : List.of(json.<R>decode(value, json.type(resultType)));
          }
        };
    // A call with no limit of its own still ends once results stop for the client's timeout.
    Duration idle =
        options.idleTimeout().orElse(options.timeout().isPresent() ? null : this.options.timeout());
    long idleNanos = idle == null ? 0 : idle.toNanos();
    return new MapCall<>(
        task,
        inputs,
        total,
        chunkSize,
        results,
        deadline,
        idleNanos,
        options.progress(),
        transport);
  }

  private CompletableFuture<Void> send(
      String task, String id, String key, byte[] value, boolean batch) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(WireHeaders.TASK, taskNameHeader(task));
    if (id != null) {
      headers.add(WireHeaders.ID, WireHeaders.utf8(id));
      headers.add(WireHeaders.REPLY_TO, replyToHeader);
    }
    if (batch) {
      headers.add(WireHeaders.BATCH, WireHeaders.utf8("true"));
    }
    if (key != null) {
      return sendRecord(
          new ProducerRecord<>(taskTopic, null, WireHeaders.utf8(key), value, headers));
    }
    return sendRecord(
        new ProducerRecord<byte[], byte[]>(
            taskTopic, nextPartition(batch), (byte[]) null, value, headers));
  }

  /**
   * The task name's header value, cached for the first task names only (a client may see endless
   * ones).
   */
  private byte[] taskNameHeader(String task) {
    byte[] cached = taskNameHeaders.get(task);
    if (cached != null) {
      return cached;
    }
    byte[] encoded = WireHeaders.utf8(task);
    if (taskNameHeaders.size() < CACHED_TASK_NAMES) {
      taskNameHeaders.putIfAbsent(task, encoded);
    }
    return encoded;
  }

  /**
   * Unkeyed tasks go round-robin over the partitions, 16 in a row (a chunk counts as 16): a backlog
   * of slow tasks is then spread evenly over the workers that own them (sticky batches of ~100
   * tasks were not), while produce batches stay large enough for one-task-per-record maps (one
   * record at a time measured ~25% slower there). Partitions added later are picked up within a few
   * thousand records.
   */
  private int nextPartition(boolean batch) {
    long n = spread.getAndAdd(batch ? RUN : 1);
    if (sends.incrementAndGet() % 4096 == 0) {
      partitionCount = Math.max(1, producer.partitionsFor(taskTopic).size());
    }
    return (int) Math.floorMod(n / RUN, (long) partitionCount);
  }

  private CompletableFuture<Void> sendRecord(ProducerRecord<byte[], byte[]> record) {
    requireOpen();
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              acked.complete(null);
            } else {
              acked.completeExceptionally(
                  new TaskpoolException(KafkaErrors.sendFailure(record.topic(), error), error));
            }
          });
    } catch (RuntimeException e) {
      acked.completeExceptionally(
          new TaskpoolException(KafkaErrors.sendFailure(record.topic(), e), e));
    }
    return acked;
  }

  /** The reply's value, or the worker's error as a {@link TaskFailedException}. */
  private static byte[] successValue(String id, ConsumerRecord<byte[], byte[]> reply) {
    String status = WireHeaders.read(reply.headers(), WireHeaders.STATUS);
    if (WireHeaders.STATUS_OK.equals(status)) {
      return reply.value();
    }
    String type = WireHeaders.read(reply.headers(), WireHeaders.ERROR_TYPE);
    String message = WireHeaders.read(reply.headers(), WireHeaders.ERROR_MESSAGE);
    throw new TaskFailedException(
        id,
        type == null ? "unknown" : type,
        message == null ? "(no message; status " + status + ")" : message);
  }

  /** Fails {@code future} after {@code limit}; the timer goes as soon as the future completes. */
  private void failAfter(CompletableFuture<?> future, Duration limit, String message) {
    ScheduledFuture<?> expiry =
        timer.schedule(
            () -> future.completeExceptionally(new TaskTimeoutException(message)),
            limit.toNanos(),
            TimeUnit.NANOSECONDS);
    future.whenComplete((value, error) -> expiry.cancel(false));
  }

  private String nextId() {
    return options.clientId() + "-" + sequence.incrementAndGet();
  }

  /**
   * The chunk size {@code map} picks for {@code inputCount} inputs: Python's rule, {@code ceil(n /
   * (4 * workers))}, with the task topic's partitions standing in for workers, at most 10,000.
   */
  public int chunkSizeFor(long inputCount) {
    long chunk = (inputCount + 4L * taskPartitions - 1) / (4L * taskPartitions);
    return (int) Math.max(1, Math.min(MAX_AUTO_CHUNK, chunk));
  }

  /**
   * The input count from which {@link #chunkSizeFor} gives its largest chunk: a caller streaming an
   * input of unknown length (a pipe, say) needs to read only this far ahead to choose as {@code
   * map} would.
   */
  public long inputsForLargestChunk() {
    return 4L * taskPartitions * MAX_AUTO_CHUNK;
  }

  int autoChunkSize(Iterable<?> inputs) {
    long n = sizeOf(inputs);
    return n < 0 ? 1 : chunkSizeFor(n);
  }

  private static long sizeOf(Iterable<?> inputs) {
    return inputs instanceof Collection<?> c ? c.size() : -1;
  }
}
