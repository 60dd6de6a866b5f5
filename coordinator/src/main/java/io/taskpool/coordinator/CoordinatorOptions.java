package io.taskpool.coordinator;

import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.worker.WorkerMain;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of one host's {@link Coordinator}. Defaults: 1–4 workers, 1,000 tasks of backlog per
 * worker, a check every 2 s, 30 s cooldown before shrinking, 30 s drain, no task limit per worker,
 * the project's default worker JVM options, status page on port 0 (any free port).
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
    int statusPort) {

  public CoordinatorOptions {
    if (kafka == null) {
      throw new InvalidOptionException("kafka settings are required (bootstrap.servers)");
    }
    Namespace.requireName("queue", queue);
    Namespace.requireName("hostId", hostId);
    if (minWorkers < 0 || maxWorkers < 1 || minWorkers > maxWorkers) {
      throw new InvalidOptionException("need 0 <= minWorkers <= maxWorkers and maxWorkers >= 1, got min " + minWorkers + ", max " + maxWorkers);
    }
    if (targetLagPerWorker < 1) {
      throw new InvalidOptionException("targetLagPerWorker must be >= 1, was " + targetLagPerWorker);
    }
    if (maxTasksPerWorker < 0) {
      throw new InvalidOptionException("maxTasksPerWorker must be >= 0 (0: no limit), was " + maxTasksPerWorker);
    }
    workerJvmOptions = List.copyOf(workerJvmOptions);
    workerSettings = Map.copyOf(workerSettings);
  }

  /** Defaults for {@code kafka}, running workers on this JVM's class path. */
  public static CoordinatorOptions defaults(KafkaSettings kafka, String hostId) {
    return new CoordinatorOptions(kafka, Namespace.DEFAULT, "default", hostId, 1, 4, 1_000, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(30), 0, List.of(WorkerMain.DEFAULT_JVM_OPTIONS.split(" ")), System.getProperty("java.class.path"), Map.of(), 0);
  }

  public CoordinatorOptions withNamespace(String name) {
    return new CoordinatorOptions(kafka, Namespace.of(name), queue, hostId, minWorkers, maxWorkers, targetLagPerWorker, pollInterval, cooldown, drainTimeout, maxTasksPerWorker, workerJvmOptions, workerClassPath, workerSettings, statusPort);
  }

  public CoordinatorOptions withWorkers(int min, int max) {
    return new CoordinatorOptions(kafka, namespace, queue, hostId, min, max, targetLagPerWorker, pollInterval, cooldown, drainTimeout, maxTasksPerWorker, workerJvmOptions, workerClassPath, workerSettings, statusPort);
  }

  public CoordinatorOptions withScaling(long targetLag, Duration poll, Duration cool) {
    return new CoordinatorOptions(kafka, namespace, queue, hostId, minWorkers, maxWorkers, targetLag, poll, cool, drainTimeout, maxTasksPerWorker, workerJvmOptions, workerClassPath, workerSettings, statusPort);
  }

  public CoordinatorOptions withWorkerProcess(String classPath, Map<String, String> settings, long maxTasks) {
    return new CoordinatorOptions(kafka, namespace, queue, hostId, minWorkers, maxWorkers, targetLagPerWorker, pollInterval, cooldown, drainTimeout, maxTasks, workerJvmOptions, classPath, settings, statusPort);
  }

  public CoordinatorOptions withStatusPort(int port) {
    return new CoordinatorOptions(kafka, namespace, queue, hostId, minWorkers, maxWorkers, targetLagPerWorker, pollInterval, cooldown, drainTimeout, maxTasksPerWorker, workerJvmOptions, workerClassPath, workerSettings, port);
  }
}
