package io.taskpool.coordinator;

import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.QueueMode;
import io.taskpool.core.SettingKeys;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.worker.WorkerMain;
import io.taskpool.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of one host's {@link Coordinator}; build with {@link #builder}. Defaults: 1–4 workers,
 * 1,000 tasks of backlog per worker, a check every 2 s, 30 s cooldown before shrinking, 30 s drain,
 * no task limit per worker, the project's default worker JVM options, status page on port {@value
 * #DEFAULT_STATUS_PORT} (as the command's), no Redis (this host sizes its pool alone), heartbeat
 * TTL three poll intervals, partitions never added, {@link QueueMode#PARTITIONED}.
 */
public record CoordinatorOptions(
    KafkaSettings kafka,
    Namespace namespace,
    String queue,
    String hostId,
    int minWorkers,
    int maxWorkers,
    long targetLagPerWorker,
    Duration pollInterval,
    Duration cooldown,
    Duration drainTimeout,
    long maxTasksPerWorker,
    List<String> workerJvmOptions,
    String workerClassPath,
    Map<String, String> workerSettings,
    int statusPort,
    RedisSettings redis,
    Duration heartbeatTtl,
    boolean allowAddPartitions,
    QueueMode queueMode) {

  public CoordinatorOptions {
    if (kafka == null) {
      throw new InvalidOptionException("kafka settings are required (bootstrap.servers)");
    }
    Namespace.requireName("queue", queue);
    Namespace.requireName("hostId", hostId);
    if (minWorkers < 0 || maxWorkers < 1 || minWorkers > maxWorkers) {
      throw new InvalidOptionException(
          "need 0 <= minWorkers <= maxWorkers and maxWorkers >= 1, got min "
              + minWorkers
              + ", max "
              + maxWorkers);
    }
    if (targetLagPerWorker < 1) {
      throw new InvalidOptionException(
          "targetLagPerWorker must be >= 1, was " + targetLagPerWorker);
    }
    if (maxTasksPerWorker < 0) {
      throw new InvalidOptionException(
          "maxTasksPerWorker must be >= 0 (0: no limit), was " + maxTasksPerWorker);
    }
    if (heartbeatTtl.compareTo(pollInterval) <= 0) {
      throw new InvalidOptionException(
          "heartbeatTtl ("
              + heartbeatTtl
              + ") must be longer than pollInterval ("
              + pollInterval
              + ")");
    }
    if (queueMode == null) {
      throw new InvalidOptionException("queueMode must be PARTITIONED or SHARED");
    }
    workerJvmOptions = List.copyOf(workerJvmOptions);
    workerSettings = Map.copyOf(workerSettings);
    // Found now, once, rather than as a crash loop of workers refusing their settings.
    java.util.Properties asGiven = new java.util.Properties();
    asGiven.putAll(workerSettings);
    java.util.Set<String> known = new java.util.HashSet<>(WorkerOptions.KEYS);
    known.add(WorkerMain.TASKS);
    SettingKeys.check(asGiven, known, WorkerOptions.PROTECTED_KAFKA_KEYS);
    WorkerOptions.requireUnprotected(kafka);
  }

  /** The status page's port unless set: the one the recipes and the command document. */
  public static final int DEFAULT_STATUS_PORT = 8085;

  // The defaults the command's options show too: declared here once.
  public static final int DEFAULT_MIN_WORKERS = 1;
  public static final int DEFAULT_MAX_WORKERS = 4;
  public static final long DEFAULT_TARGET_LAG_PER_WORKER = 1_000;
  public static final long DEFAULT_MAX_TASKS_PER_WORKER = 0;

  /** Defaults for {@code kafka}, running workers on this JVM's class path. */
  public static Builder builder(KafkaSettings kafka, String hostId) {
    return new Builder(kafka, hostId);
  }

  public Builder toBuilder() {
    Builder b = new Builder(kafka, hostId);
    b.namespace = namespace;
    b.queue = queue;
    b.minWorkers = minWorkers;
    b.maxWorkers = maxWorkers;
    b.targetLagPerWorker = targetLagPerWorker;
    b.pollInterval = pollInterval;
    b.cooldown = cooldown;
    b.drainTimeout = drainTimeout;
    b.maxTasksPerWorker = maxTasksPerWorker;
    b.workerJvmOptions = workerJvmOptions;
    b.workerClassPath = workerClassPath;
    b.workerSettings = workerSettings;
    b.statusPort = statusPort;
    b.redis = redis;
    b.heartbeatTtl = heartbeatTtl;
    b.allowAddPartitions = allowAddPartitions;
    b.queueMode = queueMode;
    return b;
  }

  /** Builder of {@link CoordinatorOptions}; {@link #build()} validates. */
  public static final class Builder {
    private final KafkaSettings kafka;
    private final String hostId;
    private Namespace namespace = Namespace.DEFAULT;
    private String queue = "default";
    private int minWorkers = DEFAULT_MIN_WORKERS;
    private int maxWorkers = DEFAULT_MAX_WORKERS;
    private long targetLagPerWorker = DEFAULT_TARGET_LAG_PER_WORKER;
    private Duration pollInterval = Duration.ofSeconds(2);
    private Duration cooldown = Duration.ofSeconds(30);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private long maxTasksPerWorker = DEFAULT_MAX_TASKS_PER_WORKER;
    private List<String> workerJvmOptions = List.of(WorkerMain.DEFAULT_JVM_OPTIONS.split(" "));
    private String workerClassPath = System.getProperty("java.class.path");
    private Map<String, String> workerSettings = Map.of();
    private int statusPort = DEFAULT_STATUS_PORT;
    private RedisSettings redis;
    private Duration heartbeatTtl;
    private boolean allowAddPartitions;
    private QueueMode queueMode = QueueMode.PARTITIONED;

    private Builder(KafkaSettings kafka, String hostId) {
      this.kafka = kafka;
      this.hostId = hostId;
    }

    public Builder namespace(String name) {
      this.namespace = Namespace.of(name);
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder workers(int min, int max) {
      this.minWorkers = min;
      this.maxWorkers = max;
      return this;
    }

    public Builder targetLagPerWorker(long lag) {
      this.targetLagPerWorker = lag;
      return this;
    }

    public Builder pollInterval(Duration interval) {
      this.pollInterval = interval;
      return this;
    }

    public Builder cooldown(Duration cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = timeout;
      return this;
    }

    public Builder maxTasksPerWorker(long maxTasks) {
      this.maxTasksPerWorker = maxTasks;
      return this;
    }

    public Builder workerJvmOptions(List<String> options) {
      this.workerJvmOptions = options;
      return this;
    }

    /** Class path of worker processes: taskpool's jars plus the jars with your TaskModules. */
    public Builder workerClassPath(String classPath) {
      this.workerClassPath = classPath;
      return this;
    }

    /** Extra worker settings ({@code concurrency}, {@code task.partitions}, ...). */
    public Builder workerSettings(Map<String, String> settings) {
      this.workerSettings = settings;
      return this;
    }

    /**
     * Default {@value CoordinatorOptions#DEFAULT_STATUS_PORT}; 0 for any free port (tests, several
     * coordinators on one host).
     */
    public Builder statusPort(int port) {
      this.statusPort = port;
      return this;
    }

    /**
     * Redis where the hosts of this queue meet (registry, leader, quotas); none: this host sizes
     * alone.
     */
    public Builder redis(RedisSettings redis) {
      this.redis = redis;
      return this;
    }

    /** How long a silent host counts as alive; default three poll intervals. */
    public Builder heartbeatTtl(Duration ttl) {
      this.heartbeatTtl = ttl;
      return this;
    }

    /**
     * Lets the pool grow past the task topic's partition count by adding partitions. Off by
     * default: tasks with a key already queued keep their old partition, new ones may hash
     * elsewhere, so per-key order holds only for tasks sent after the change.
     */
    public Builder allowAddPartitions(boolean allow) {
      this.allowAddPartitions = allow;
      return this;
    }

    /** SHARED: the queue's workers form a share group, so the pool is not capped by partitions. */
    public Builder queueMode(QueueMode mode) {
      this.queueMode = mode;
      return this;
    }

    public CoordinatorOptions build() {
      Duration ttl = heartbeatTtl != null ? heartbeatTtl : pollInterval.multipliedBy(3);
      return new CoordinatorOptions(
          kafka,
          namespace,
          queue,
          hostId,
          minWorkers,
          maxWorkers,
          targetLagPerWorker,
          pollInterval,
          cooldown,
          drainTimeout,
          maxTasksPerWorker,
          workerJvmOptions,
          workerClassPath,
          workerSettings,
          statusPort,
          redis,
          ttl,
          allowAddPartitions,
          queueMode);
    }
  }
}
