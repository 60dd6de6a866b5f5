package io.taskpool.worker;

import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.QueueMode;
import io.taskpool.core.SettingKeys;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Settings of one {@link Worker}. Immutable; {@link #builder()}, {@link #toBuilder()}, or {@link
 * #fromProperties} for a flat properties file where {@code kafka.*} passes through to the clients.
 *
 * <ul>
 *   <li>{@code kafka} (required), {@code namespace} ({@code taskpool}), {@code queue} ({@code
 *       default}).
 *   <li>{@code workerId}: names this worker in replies, dead letters and stop commands; default
 *       {@code host-pid}.
 *   <li>{@code concurrency}: handler threads; tasks with the same key run on the same thread, in
 *       order. Default: the number of cores.
 *   <li>{@code maxInFlight}: fetched, unfinished tasks before fetching pauses; default 2,000.
 *   <li>{@code retry}: {@link RetryPolicy#DEFAULT}.
 *   <li>{@code commitInterval}: how often finished offsets are committed; default 200 ms.
 *   <li>{@code drainTimeout}: how long a stop waits for in-flight tasks; default 30 s.
 *   <li>{@code taskPartitions}: partitions of the task topic if this worker creates it; default
 *       {@link Namespace#DEFAULT_TASK_PARTITIONS} (12).
 *   <li>{@code maxTasks}: drain and exit after this many tasks (a supervisor starts a fresh one);
 *       default 0, no limit.
 *   <li>{@code queueMode}: {@link QueueMode#PARTITIONED} (classic consumer group, the default) or
 *       {@link QueueMode#SHARED} (Kafka share group).
 *   <li>{@code statusFile}: a file the worker rewrites every second with its finished-task count,
 *       for the coordinator that supervises it; default none.
 *   <li>{@code hostId}: the {@code host} tag of the worker's meters; default the machine's host
 *       name (a coordinator passes its own host id).
 *   <li>{@code metricsPort}: serve the worker's meters as Prometheus text on {@code http://<any
 *       address>:<port>/metrics} (0: any free port, logged); default -1, none. Needs {@code
 *       micrometer-registry-prometheus} on the class path (the taskpool command has it).
 *   <li>{@code metricsFile}: a file the worker rewrites every second with that same text, for the
 *       coordinator that supervises it (its {@code /metrics} sums its workers'); default none.
 *   <li>{@code timeLimits}: the soft and hard time limit of every attempt of a task whose handler
 *       was registered without its own ({@link TimeLimits}); default none.
 *   <li>{@code groupProtocol}: {@link GroupProtocol#CLASSIC} (default) or {@link
 *       GroupProtocol#CONSUMER} (KIP-848), for {@code PARTITIONED} mode.
 * </ul>
 */
public final class WorkerOptions {
  private final KafkaSettings kafka;
  private final Namespace namespace;
  private final String queue;
  private final String workerId;
  private final int concurrency;
  private final int maxInFlight;
  private final RetryPolicy retry;
  private final Duration commitInterval;
  private final Duration drainTimeout;
  private final int taskPartitions;
  private final long maxTasks;
  private final QueueMode queueMode;
  private final Path statusFile;
  private final String hostId;
  private final int metricsPort;
  private final Path metricsFile;
  private final TimeLimits timeLimits;
  private final GroupProtocol groupProtocol;

  private WorkerOptions(Builder b) {
    this.kafka = b.kafka;
    this.namespace = b.namespace;
    this.queue = b.queue;
    this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
    this.concurrency = b.concurrency;
    this.maxInFlight = b.maxInFlight;
    this.retry = b.retry;
    this.commitInterval = b.commitInterval;
    this.drainTimeout = b.drainTimeout;
    this.taskPartitions = b.taskPartitions;
    this.maxTasks = b.maxTasks;
    this.queueMode = b.queueMode;
    this.statusFile = b.statusFile;
    this.hostId = b.hostId != null ? b.hostId : defaultHostId();
    this.metricsPort = b.metricsPort;
    this.metricsFile = b.metricsFile;
    this.timeLimits = b.timeLimits;
    this.groupProtocol = b.groupProtocol;
  }

  /** Every key {@link #fromProperties} reads, besides the {@code kafka.*} pass-through ones. */
  public static final Set<String> KEYS = WorkerSettings.keys();

  /** Kafka client settings a worker's guarantees depend on, with why they cannot be overridden. */
  public static final Map<String, String> PROTECTED_KAFKA_KEYS =
      Map.of(
          "enable.auto.commit",
              "a worker commits a task's offset only after its result or dead letter was written",
          "group.id",
              "the worker group is <namespace>.workers.<queue>; set namespace or queue instead",
          "key.deserializer", "tasks are read as bytes and decoded by taskpool's wire format",
          "value.deserializer", "tasks are read as bytes and decoded by taskpool's wire format",
          "key.serializer",
              "replies and dead letters are written as bytes in taskpool's wire format",
          "value.serializer",
              "replies and dead letters are written as bytes in taskpool's wire format",
          "group.protocol",
              "use the worker setting group.protocol, which falls back on brokers without KIP-848",
          "share.acknowledgement.mode",
              "SHARED mode acknowledges each record explicitly, after its result was written");

  public static Builder builder() {
    return new Builder();
  }

  /**
   * @throws InvalidOptionException when {@code kafka} sets one of {@link #PROTECTED_KAFKA_KEYS}
   */
  public static void requireUnprotected(KafkaSettings kafka) {
    for (String key : kafka.clientProperties().keySet()) {
      if (PROTECTED_KAFKA_KEYS.containsKey(key)) {
        throw new InvalidOptionException(
            "kafka." + key + " cannot be overridden: " + PROTECTED_KAFKA_KEYS.get(key));
      }
    }
  }

  /** Reads the {@link WorkerSettings} and pass-through {@code kafka.*} from {@code p}. */
  public static WorkerOptions fromProperties(Properties p) {
    SettingKeys.check(p, KEYS, PROTECTED_KAFKA_KEYS);
    Builder b = builder().kafka(KafkaSettings.fromProperties(p));
    WorkerSettings.NAMESPACE.string(p).ifPresent(b::namespace);
    WorkerSettings.QUEUE.string(p).ifPresent(b::queue);
    WorkerSettings.WORKER_ID.string(p).ifPresent(b::workerId);
    WorkerSettings.CONCURRENCY.intValue(p).ifPresent(b::concurrency);
    WorkerSettings.MAX_IN_FLIGHT.intValue(p).ifPresent(b::maxInFlight);
    WorkerSettings.TASK_PARTITIONS.intValue(p).ifPresent(b::taskPartitions);
    WorkerSettings.DRAIN_TIMEOUT_MS.millis(p).ifPresent(b::drainTimeout);
    WorkerSettings.MAX_TASKS.intValue(p).ifPresent(b::maxTasks);
    WorkerSettings.QUEUE_MODE.string(p).map(QueueMode::parse).ifPresent(b::queueMode);
    WorkerSettings.STATUS_FILE.string(p).map(Path::of).ifPresent(b::statusFile);
    WorkerSettings.HOST_ID.string(p).ifPresent(b::hostId);
    WorkerSettings.METRICS_PORT.intValue(p).ifPresent(b::metricsPort);
    WorkerSettings.METRICS_FILE.string(p).map(Path::of).ifPresent(b::metricsFile);
    WorkerSettings.COMMIT_INTERVAL_MS.millis(p).ifPresent(b::commitInterval);
    WorkerSettings.GROUP_PROTOCOL.string(p).map(GroupProtocol::parse).ifPresent(b::groupProtocol);
    Optional<Duration> soft = WorkerSettings.SOFT_TIME_LIMIT_MS.millis(p);
    Optional<Duration> hard = WorkerSettings.TIME_LIMIT_MS.millis(p);
    if (soft.isPresent() || hard.isPresent()) {
      b.timeLimits(new TimeLimits(soft.orElse(null), hard.orElse(null)));
    }
    Optional<Integer> attempts = WorkerSettings.RETRY_MAX_ATTEMPTS.intValue(p);
    Optional<Duration> backoff = WorkerSettings.RETRY_BACKOFF_MS.millis(p);
    if (attempts.isPresent() || backoff.isPresent()) {
      RetryPolicy d = RetryPolicy.DEFAULT;
      b.retry(
          new RetryPolicy(
              attempts.orElse(d.maxAttempts()),
              backoff.orElse(d.initialBackoff()),
              d.multiplier(),
              d.maxBackoff()));
    }
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.kafka = kafka;
    b.namespace = namespace;
    b.queue = queue;
    b.workerId = workerId;
    b.concurrency = concurrency;
    b.maxInFlight = maxInFlight;
    b.retry = retry;
    b.commitInterval = commitInterval;
    b.drainTimeout = drainTimeout;
    b.taskPartitions = taskPartitions;
    b.maxTasks = maxTasks;
    b.queueMode = queueMode;
    b.statusFile = statusFile;
    b.hostId = hostId;
    b.metricsPort = metricsPort;
    b.metricsFile = metricsFile;
    b.timeLimits = timeLimits;
    b.groupProtocol = groupProtocol;
    return b;
  }

  /**
   * @throws InvalidOptionException naming the first bad setting
   */
  public WorkerOptions validate() {
    if (kafka == null) {
      throw new InvalidOptionException("kafka settings are required (bootstrap.servers)");
    }
    requireUnprotected(kafka);
    Namespace.requireName("queue", queue);
    if (workerId == null || workerId.isBlank()) {
      throw new InvalidOptionException("workerId must not be empty");
    }
    if (concurrency < 1) {
      throw new InvalidOptionException("concurrency must be >= 1, was " + concurrency);
    }
    if (maxInFlight < concurrency) {
      throw new InvalidOptionException(
          "maxInFlight (" + maxInFlight + ") must be >= concurrency (" + concurrency + ")");
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new InvalidOptionException("commitInterval must be positive, was " + commitInterval);
    }
    if (drainTimeout.isNegative()) {
      throw new InvalidOptionException("drainTimeout must not be negative, was " + drainTimeout);
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new InvalidOptionException(
          "metricsPort must be a port, 0 (any free one) or -1 (none), was " + metricsPort);
    }
    if (taskPartitions < 1) {
      throw new InvalidOptionException("taskPartitions must be >= 1, was " + taskPartitions);
    }
    if (maxTasks < 0) {
      throw new InvalidOptionException("maxTasks must be >= 0 (0: no limit), was " + maxTasks);
    }
    if (queueMode == null) {
      throw new InvalidOptionException("queueMode must be PARTITIONED or SHARED");
    }
    if (timeLimits == null) {
      throw new InvalidOptionException("timeLimits must not be null (TimeLimits.NONE for none)");
    }
    if (groupProtocol == null) {
      throw new InvalidOptionException("groupProtocol must be CLASSIC or CONSUMER");
    }
    return this;
  }

  private static String defaultHostId() {
    String[] pidAtHost = ManagementFactory.getRuntimeMXBean().getName().split("@", 2);
    return pidAtHost.length == 2 ? pidAtHost[1] : "localhost";
  }

  private static String defaultWorkerId() {
    // RuntimeMXBean's name is "pid@host".
    String[] pidAtHost = ManagementFactory.getRuntimeMXBean().getName().split("@", 2);
    return (pidAtHost.length == 2 ? pidAtHost[1] + "-" : "") + pidAtHost[0];
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

  public String workerId() {
    return workerId;
  }

  public int concurrency() {
    return concurrency;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public RetryPolicy retry() {
    return retry;
  }

  public Duration commitInterval() {
    return commitInterval;
  }

  public Duration drainTimeout() {
    return drainTimeout;
  }

  public int taskPartitions() {
    return taskPartitions;
  }

  /** Tasks after which the worker drains and exits (Python's maxtasksperchild); 0 for no limit. */
  public long maxTasks() {
    return maxTasks;
  }

  public QueueMode queueMode() {
    return queueMode;
  }

  /** Where the finished-task count is written every second, or null. */
  public Path statusFile() {
    return statusFile;
  }

  /** The time limits of tasks whose handler has none of its own. */
  public TimeLimits timeLimits() {
    return timeLimits;
  }

  public GroupProtocol groupProtocol() {
    return groupProtocol;
  }

  public String hostId() {
    return hostId;
  }

  /** -1: no metrics endpoint; 0: any free port. */
  public int metricsPort() {
    return metricsPort;
  }

  public Path metricsFile() {
    return metricsFile;
  }

  /** Builder of {@link WorkerOptions}. */
  public static final class Builder {
    private KafkaSettings kafka;
    private Namespace namespace = Namespace.DEFAULT;
    private String queue = WorkerSettings.QUEUE.defaultValue();
    private String workerId;
    private int concurrency = Runtime.getRuntime().availableProcessors();
    private int maxInFlight = WorkerSettings.MAX_IN_FLIGHT.defaultInt();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration commitInterval = WorkerSettings.COMMIT_INTERVAL_MS.defaultMillis();
    private Duration drainTimeout = WorkerSettings.DRAIN_TIMEOUT_MS.defaultMillis();
    private int taskPartitions = Namespace.DEFAULT_TASK_PARTITIONS;
    private long maxTasks;
    private QueueMode queueMode = QueueMode.PARTITIONED;
    private Path statusFile;
    private String hostId;
    private int metricsPort = WorkerSettings.METRICS_PORT.defaultInt();
    private Path metricsFile;
    private TimeLimits timeLimits = TimeLimits.NONE;
    private GroupProtocol groupProtocol = GroupProtocol.CLASSIC;

    private Builder() {}

    public Builder timeLimits(TimeLimits timeLimits) {
      this.timeLimits = timeLimits;
      return this;
    }

    public Builder groupProtocol(GroupProtocol groupProtocol) {
      this.groupProtocol = groupProtocol;
      return this;
    }

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

    public Builder workerId(String workerId) {
      this.workerId = workerId;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder commitInterval(Duration commitInterval) {
      this.commitInterval = commitInterval;
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    public Builder taskPartitions(int taskPartitions) {
      this.taskPartitions = taskPartitions;
      return this;
    }

    public Builder maxTasks(long maxTasks) {
      this.maxTasks = maxTasks;
      return this;
    }

    public Builder queueMode(QueueMode queueMode) {
      this.queueMode = queueMode;
      return this;
    }

    public Builder statusFile(Path statusFile) {
      this.statusFile = statusFile;
      return this;
    }

    public Builder hostId(String hostId) {
      this.hostId = hostId;
      return this;
    }

    /** Serve Prometheus text on this port's {@code /metrics} (0: any free port; -1: none). */
    public Builder metricsPort(int metricsPort) {
      this.metricsPort = metricsPort;
      return this;
    }

    public Builder metricsFile(Path metricsFile) {
      this.metricsFile = metricsFile;
      return this;
    }

    public WorkerOptions build() {
      return new WorkerOptions(this).validate();
    }
  }
}
