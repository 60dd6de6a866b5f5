package io.taskpool.cli;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.QueueMode;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.worker.TaskJars;
import io.taskpool.worker.WorkerMain;
import io.taskpool.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Keeps this host's pool of worker processes sized to the queue's backlog until stopped. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Run this host's coordinator: start, restart, scale and drain worker processes on the queue's"
          + " backlog.",
      "With Redis (--redis-url) the coordinators of a queue on many hosts elect a leader and share"
          + " the pool."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  taskpool coordinator --tasks my-tasks.jar --min-workers 1 --max-workers 8",
      "  taskpool coordinator --tasks my-tasks.jar --redis-url redis://redis:6379 --host-id host-a "
          + "   (one per host)",
      "  taskpool coordinator --tasks my-tasks.jar --worker-setting soft.time.limit.ms=30000"
          + " --status-port 9000"
    })
final class CoordinatorCommand implements Runnable {
  @Mixin Connection connection;
  @Mixin RedisConnection redis;
  @Spec CommandSpec spec;

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description = "this host's id among the queue's coordinators; default: the host name")
  String hostId;

  @Option(
      names = "--min-workers",
      paramLabel = "N",
      defaultValue = "" + CoordinatorOptions.DEFAULT_MIN_WORKERS,
      description =
          "fewest worker processes on this host, even with an empty queue; default"
              + " ${DEFAULT-VALUE}")
  int minWorkers;

  @Option(
      names = "--max-workers",
      paramLabel = "N",
      defaultValue = "" + CoordinatorOptions.DEFAULT_MAX_WORKERS,
      description = "most worker processes on this host; default ${DEFAULT-VALUE}")
  int maxWorkers;

  @Option(
      names = "--target-lag",
      paramLabel = "TASKS",
      defaultValue = "" + CoordinatorOptions.DEFAULT_TARGET_LAG_PER_WORKER,
      description = "queued tasks per worker the pool grows at; default ${DEFAULT-VALUE}")
  long targetLag;

  @Option(
      names = "--max-tasks-per-worker",
      paramLabel = "N",
      defaultValue = "" + CoordinatorOptions.DEFAULT_MAX_TASKS_PER_WORKER,
      description =
          "replace a worker after N tasks, as Pool(maxtasksperchild=N); default ${DEFAULT-VALUE}"
              + " (never)")
  long maxTasksPerWorker;

  @Option(
      names = "--tasks",
      paramLabel = "PATH",
      description =
          "your task code for the workers: a jar, or a directory of jars, with a"
              + " META-INF/services/io.taskpool.worker.TaskModule entry; repeatable (default:"
              + " $TASKPOOL_TASKS)")
  List<Path> tasks = new ArrayList<>();

  @Option(
      names = "--worker-classpath",
      paramLabel = "PATH",
      description =
          "class path of worker processes; default: this command's (add task code with --tasks"
              + " instead)")
  String workerClassPath;

  @Option(
      names = "--worker-concurrency",
      paramLabel = "N",
      description = "handler threads per worker; default: the host's cores")
  Integer workerConcurrency;

  @Option(
      names = "--worker-setting",
      paramLabel = "KEY=VALUE",
      description =
          "a setting of every worker (listed by 'taskpool worker --help'), repeatable, e.g."
              + " --worker-setting soft.time.limit.ms=30000")
  Map<String, String> workerSetting = new LinkedHashMap<>();

  @Option(
      names = "--worker-jvm-option",
      paramLabel = "OPTION",
      description =
          "JVM option of worker processes, repeatable; default: " + WorkerMain.DEFAULT_JVM_OPTIONS)
  List<String> workerJvmOptions;

  @Option(
      names = "--queue-mode",
      paramLabel = "MODE",
      defaultValue = "PARTITIONED",
      description =
          "PARTITIONED (a consumer group: per-key order) or SHARED (a share group, Kafka 4.2+);"
              + " default ${DEFAULT-VALUE}")
  String queueMode;

  @Option(
      names = "--add-partitions",
      description =
          "let a PARTITIONED pool grow past the partition count by adding partitions; default off")
  boolean addPartitions;

  @Option(
      names = "--status-port",
      paramLabel = "PORT",
      description =
          "port of the status page, /status, /metrics, /healthz and /readyz (0: any free port);"
              + " default $TASKPOOL_STATUS_PORT, else "
              + CoordinatorOptions.DEFAULT_STATUS_PORT)
  Integer statusPort;

  @Option(
      names = "--startup-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5m",
      description =
          "how long to wait at start for Kafka and Redis to accept connections, retrying with"
              + " backoff; default ${DEFAULT-VALUE}")
  Duration startupTimeout;

  private int statusPort() {
    if (statusPort != null) {
      return statusPort;
    }
    String fromEnv = System.getenv(EnvironmentVariables.STATUS_PORT);
    if (fromEnv == null || fromEnv.isBlank()) {
      return CoordinatorOptions.DEFAULT_STATUS_PORT;
    }
    try {
      return Integer.parseInt(fromEnv.trim());
    } catch (NumberFormatException e) {
      throw new InvalidOptionException(
          EnvironmentVariables.STATUS_PORT + " must be a port number, was '" + fromEnv + "'");
    }
  }

  private void say(String line) {
    spec.commandLine().getErr().println(line);
    spec.commandLine().getErr().flush();
  }

  @Override
  public void run() {
    Map<String, String> settings = new LinkedHashMap<>();
    List<Path> taskPaths = tasks.isEmpty() ? TaskPaths.fromEnvironment() : tasks;
    if (!taskPaths.isEmpty()) {
      // Checked here, once, so a wrong path is one line now rather than a crash loop of workers.
      TaskJars.loader(taskPaths, getClass().getClassLoader());
      settings.put(WorkerMain.TASKS, TaskPaths.join(taskPaths));
    }
    KafkaSettings kafka = connection.kafkaSettings();
    // Read before any waiting, so a wrong Redis URL or truststore is one line now, not after
    // minutes.
    RedisSettings redisSettings = redis.settingsIfConfigured(connection);
    // A server waits for what it needs (a container's broker starting beside it) instead of
    // exiting.
    connection.awaitReachableKafka(kafka, startupTimeout, this::say);
    if (redisSettings != null) {
      redisSettings
          .address()
          .ifPresent(
              a ->
                  StartupWait.untilReachable(
                      "Redis at " + redisSettings.where(),
                      a.getHostString(),
                      a.getPort(),
                      startupTimeout,
                      this::say));
    }
    String host = hostId != null ? hostId : hostName();
    settings.putAll(workerSetting);
    if (workerConcurrency != null) {
      settings.put(WorkerSettings.CONCURRENCY.key(), String.valueOf(workerConcurrency));
    }
    CoordinatorOptions options =
        CoordinatorOptions.builder(kafka, host)
            .namespace(connection.namespace().name())
            .queue(connection.queue())
            .workers(minWorkers, maxWorkers)
            .targetLagPerWorker(targetLag)
            .maxTasksPerWorker(maxTasksPerWorker)
            .workerClassPath(
                workerClassPath != null ? workerClassPath : System.getProperty("java.class.path"))
            .workerSettings(settings)
            .workerJvmOptions(
                workerJvmOptions != null
                    ? workerJvmOptions
                    : List.of(WorkerMain.DEFAULT_JVM_OPTIONS.split(" ")))
            .statusPort(statusPort())
            .redis(redisSettings)
            .queueMode(QueueMode.parse(queueMode))
            .allowAddPartitions(addPartitions)
            .build();
    // Keyed by namespace, queue and host: two coordinators on one machine never mix logs or counts.
    Path workerDir =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "taskpool-" + options.namespace().name() + "-" + options.queue() + "-" + host);
    Coordinator coordinator = new Coordinator(options, workerDir).start();
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM: the hook drains every worker before the JVM exits.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  coordinator.close();
                  stopped.countDown();
                }));
    spec.commandLine()
        .getOut()
        .println(
            "coordinator "
                + host
                + ": status on http://localhost:"
                + coordinator.statusPort()
                + "/");
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_-]", "-");
    } catch (java.net.UnknownHostException e) {
      return "host";
    }
  }
}
