package io.taskpool.producer;

import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Settings of one {@link TaskClient}. Immutable; build with {@link #builder()}, adjust a copy with
 * {@link #toBuilder()}.
 *
 * <ul>
 *   <li>{@code kafka}: cluster and pass-through client properties (required).
 *   <li>{@code namespace}: prefix of all topics; default {@code taskpool}.
 *   <li>{@code queue}: which task topic to submit to; default {@code default}.
 *   <li>{@code clientId}: names this client's reply topic; default a random id.
 *   <li>{@code taskPartitions}: partitions of the task topic if this client creates it; default 12.
 *   <li>{@code window}: tasks in flight per {@code map}/{@code imap} call (backpressure); default
 *       10,000.
 *   <li>{@code timeout}: how long a {@code submit} waits for its result, and a {@code map} or
 *       {@code imap} for its next result when its own options set no limit; default 1 hour, so a
 *       reply that never comes (its worker gone for good, the task dropped by hand) cannot keep a
 *       future and its bookkeeping forever. Longer tasks need a longer one.
 *   <li>{@code replyTopic}: an existing topic (and partition) for replies, for clusters where
 *       clients may not create topics; default a private topic {@code <ns>.replies.<clientId>}
 *       created on connect and deleted on close.
 * </ul>
 */
public final class ClientOptions {
  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_TASK_PARTITIONS = Namespace.DEFAULT_TASK_PARTITIONS;
  public static final int DEFAULT_WINDOW = 10_000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  private final KafkaSettings kafka;
  private final Namespace namespace;
  private final String queue;
  private final String clientId;
  private final int taskPartitions;
  private final int window;
  private final Duration timeout;
  private final String replyTopic;
  private final int replyPartition;

  private ClientOptions(Builder b) {
    this.kafka = b.kafka;
    this.namespace = b.namespace;
    this.queue = b.queue;
    this.clientId =
        b.clientId != null
            ? b.clientId
            : UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    this.taskPartitions = b.taskPartitions;
    this.window = b.window;
    this.timeout = b.timeout;
    this.replyTopic = b.replyTopic;
    this.replyPartition = b.replyPartition;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.kafka = kafka;
    b.namespace = namespace;
    b.queue = queue;
    b.clientId = clientId;
    b.taskPartitions = taskPartitions;
    b.window = window;
    b.timeout = timeout;
    b.replyTopic = replyTopic;
    b.replyPartition = replyPartition;
    return b;
  }

  /**
   * @throws InvalidOptionException naming the first setting that is missing or out of range
   */
  public ClientOptions validate() {
    if (kafka == null) {
      throw new InvalidOptionException("kafka settings are required (bootstrap.servers)");
    }
    Namespace.requireName("queue", queue);
    Namespace.requireName("clientId", clientId);
    if (taskPartitions < 1) {
      throw new InvalidOptionException("taskPartitions must be >= 1, was " + taskPartitions);
    }
    if (window < 1) {
      throw new InvalidOptionException("window must be >= 1, was " + window);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidOptionException("timeout must be positive, was " + timeout);
    }
    if (replyPartition < 0) {
      throw new InvalidOptionException("replyPartition must be >= 0, was " + replyPartition);
    }
    return this;
  }

  public KafkaSettings kafka() {
    return kafka;
  }

  public Namespace namespace() {
    return namespace;
  }

  public String queue() {
    return queue;
  }

  public String clientId() {
    return clientId;
  }

  public int taskPartitions() {
    return taskPartitions;
  }

  public int window() {
    return window;
  }

  /** How long a task's result is waited for (see the class comment). */
  public Duration timeout() {
    return timeout;
  }

  /** The fixed reply topic, when one was configured instead of a private per-client topic. */
  public Optional<String> replyTopic() {
    return Optional.ofNullable(replyTopic);
  }

  public int replyPartition() {
    return replyPartition;
  }

  /** Builder of {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private KafkaSettings kafka;
    private Namespace namespace = Namespace.DEFAULT;
    private String queue = DEFAULT_QUEUE;
    private String clientId;
    private int taskPartitions = DEFAULT_TASK_PARTITIONS;
    private int window = DEFAULT_WINDOW;
    private Duration timeout = DEFAULT_TIMEOUT;
    private String replyTopic;
    private int replyPartition;

    private Builder() {}

    public Builder kafka(KafkaSettings kafka) {
      this.kafka = kafka;
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.kafka = KafkaSettings.of(bootstrapServers);
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = Namespace.of(namespace);
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public Builder taskPartitions(int taskPartitions) {
      this.taskPartitions = taskPartitions;
      return this;
    }

    public Builder window(int window) {
      this.window = window;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder replyTopic(String topic, int partition) {
      this.replyTopic = topic;
      this.replyPartition = partition;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(this).validate();
    }
  }
}
