package io.taskpool.bench;

import io.taskpool.core.Namespace;
import io.taskpool.core.QueueMode;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * PARTITIONED against SHARED queue mode on a topic of two partitions, with 2 and with 6 worker
 * processes (2 handler threads each), for tasks of 0, 1 and 10 ms: tasks/s of a one-task-per-record
 * map, results included. Keys: {@code <mode>_w<workers>_<ms>ms_per_s}.
 */
final class QueueModeBench {
  private static final int PARTITIONS = 2;
  private static final int CONCURRENCY = 2;
  private static final Map<Integer, Integer> TASKS_BY_MILLIS =
      Map.of(0, 20_000, 1, 6_000, 10, 2_000);

  private final LocalCluster cluster;
  private final Path logs;

  QueueModeBench(LocalCluster cluster, Path logs) {
    this.cluster = cluster;
    this.logs = logs;
  }

  Map<String, Double> run() throws InterruptedException {
    Map<String, Double> figures = new LinkedHashMap<>();
    for (QueueMode mode : QueueMode.values()) {
      for (int workers : List.of(2, 6)) {
        figures.putAll(fleet(mode, workers));
      }
    }
    return figures;
  }

  private Map<String, Double> fleet(QueueMode mode, int workers) throws InterruptedException {
    String ns = LocalCluster.uniqueNamespace("bench-mode");
    try (TopicAdmin admin = new TopicAdmin(cluster.kafkaSettings())) {
      admin.ensureTopic(Namespace.of(ns).taskTopic("default"), PARTITIONS, Map.of());
    }
    List<JvmProcess> fleet = new ArrayList<>();
    Map<String, Double> figures = new LinkedHashMap<>();
    try (GroupProbe probe = new GroupProbe(cluster, ns, "default");
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      for (int i = 1; i <= workers; i++) {
        fleet.add(
            WorkerProcess.start(
                cluster,
                ns,
                Map.of(
                    "worker.id",
                    "w" + i,
                    "queue.mode",
                    mode.name(),
                    "concurrency",
                    String.valueOf(CONCURRENCY)),
                logs.resolve(ns + "-w" + i + ".log")));
      }
      BooleanSupplier joined =
          mode == QueueMode.SHARED
              ? () -> probe.shareMembers() == workers * CONCURRENCY
              : () -> probe.activeMembers() == Math.min(workers, PARTITIONS);
      Waits.until("workers joined", joined, Duration.ofSeconds(90), Duration.ofMillis(100));
      client.map(
          "square",
          IntStream.range(0, 2_000).boxed().toList(),
          Integer.class,
          MapOptions.chunkSize(1));
      for (int millis : List.of(0, 1, 10)) {
        int tasks = TASKS_BY_MILLIS.get(millis);
        String task = millis == 0 ? "square" : "sleep-ms";
        List<Integer> inputs =
            IntStream.range(0, tasks).map(i -> millis == 0 ? i : millis).boxed().toList();
        Stopwatch watch = Stopwatch.start();
        List<Integer> results =
            client.map(
                task,
                inputs,
                Integer.class,
                MapOptions.builder().chunkSize(1).timeout(Duration.ofMinutes(5)).build());
        double perSecond = tasks / watch.seconds();
        if (results.size() != tasks) {
          throw new IllegalStateException(
              "map returned " + results.size() + " results for " + tasks + " tasks");
        }
        figures.put(
            String.format(
                Locale.ROOT,
                "%s_w%d_%dms_per_s",
                mode.name().toLowerCase(Locale.ROOT),
                workers,
                millis),
            Math.round(perSecond * 10) / 10.0);
      }
    } finally {
      fleet.forEach(worker -> worker.stop(Duration.ofSeconds(30)));
    }
    return figures;
  }
}
