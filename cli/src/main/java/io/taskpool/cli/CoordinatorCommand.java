package io.taskpool.cli;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.QueueMode;
import io.taskpool.worker.WorkerMain;
import io.taskpool.worker.TaskJars;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Keeps this host's pool of worker processes sized to the queue's backlog until stopped. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, description = "Run this host's coordinator: start, restart, scale and drain worker processes. With Redis (--redis-url) the hosts of a queue elect a leader and share the pool.")
final class CoordinatorCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Option(names = "--host-id", description = "this host's id (default: host name)")
  String hostId;

  @Option(names = "--min-workers", defaultValue = "1")
  int minWorkers;

  @Option(names = "--max-workers", defaultValue = "4")
  int maxWorkers;

  @Option(names = "--target-lag", defaultValue = "1000", description = "backlog per worker (default ${DEFAULT-VALUE})")
  long targetLag;

  @Option(names = "--max-tasks-per-worker", defaultValue = "0", description = "recycle a worker after N tasks (0: never)")
  long maxTasksPerWorker;

  @Option(names = "--tasks", paramLabel = "PATH", description = "your task code for the workers: a jar, or a directory of jars, with a META-INF/services/io.taskpool.worker.TaskModule entry; repeatable (default: $TASKPOOL_TASKS)")
  List<Path> tasks = new ArrayList<>();

  @Option(names = "--worker-classpath", description = "class path of worker processes (default: this command's)")
  String workerClassPath;

  @Option(names = "--worker-concurrency", description = "handler threads per worker")
  Integer workerConcurrency;

  @Option(names = "--worker-setting", paramLabel = "KEY=VALUE", description = "a setting of every worker (the README's worker table), repeatable, e.g. --worker-setting soft.time.limit.ms=30000")
  Map<String, String> workerSetting = new LinkedHashMap<>();

  @Option(names = "--worker-jvm-option", description = "JVM option of worker processes, repeatable (default: " + WorkerMain.DEFAULT_JVM_OPTIONS + ")")
  List<String> workerJvmOptions;

  @Option(names = "--queue-mode", defaultValue = "PARTITIONED", description = "PARTITIONED (consumer group) or SHARED (share group); default ${DEFAULT-VALUE}")
  String queueMode;

  @Option(names = "--add-partitions", description = "let the pool grow past the partition count by adding partitions")
  boolean addPartitions;

  @Option(names = "--status-port", defaultValue = "8085", description = "status page port (default ${DEFAULT-VALUE})")
  int statusPort;

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
    connection.requireReachableKafka(kafka);
    String host = hostId != null ? hostId : hostName();
    settings.putAll(workerSetting);
    if (workerConcurrency != null) {
      settings.put("concurrency", String.valueOf(workerConcurrency));
    }
    CoordinatorOptions options =
        CoordinatorOptions.builder(kafka, host)
            .namespace(connection.namespace().name())
            .queue(connection.queue())
            .workers(minWorkers, maxWorkers)
            .targetLagPerWorker(targetLag)
            .maxTasksPerWorker(maxTasksPerWorker)
            .workerClassPath(workerClassPath != null ? workerClassPath : System.getProperty("java.class.path"))
            .workerSettings(settings)
            .workerJvmOptions(workerJvmOptions != null ? workerJvmOptions : List.of(WorkerMain.DEFAULT_JVM_OPTIONS.split(" ")))
            .statusPort(statusPort)
            .redis(connection.redisSettingsIfConfigured())
            .queueMode(QueueMode.parse(queueMode))
            .allowAddPartitions(addPartitions)
            .build();
    // Keyed by namespace, queue and host: two coordinators on one machine never mix logs or counts.
    Path workerDir = Path.of(System.getProperty("java.io.tmpdir"), "taskpool-" + options.namespace().name() + "-" + options.queue() + "-" + host);
    Coordinator coordinator = new Coordinator(options, workerDir).start();
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM: the hook drains every worker before the JVM exits.
    Runtime.getRuntime().addShutdownHook(
        new Thread(
            () -> {
              coordinator.close();
              stopped.countDown();
            }));
    spec.commandLine().getOut().println("coordinator " + host + ": status on http://localhost:" + coordinator.statusPort() + "/");
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
