package io.taskpool.bench;

import io.taskpool.bench.BenchTasks.CountedSleep;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The consumer-group protocols under a scale event with 100 ms tasks on 12 partitions: three
 * workers join one that holds the backlog (until the assignment is 3/3/3/3), then those three drain
 * with SIGTERM (until one worker holds all 12); for each, the time the assignment took and the
 * longest stretch with no task finishing. The broker keeps its default group settings.
 */
final class GroupProtocolBench {
  private static final Duration SAMPLE = Duration.ofMillis(20);

  private final LocalCluster cluster;
  private final Path logs;

  GroupProtocolBench(LocalCluster cluster, Path logs) {
    this.cluster = cluster;
    this.logs = logs;
  }

  Map<String, Object> run(String protocol) throws InterruptedException {
    String ns = LocalCluster.uniqueNamespace("bench-protocol");
    Map<String, String> settings = Map.of("concurrency", "2", "group.protocol", protocol);
    List<JvmProcess> joiners = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    try (GroupProbe probe = new GroupProbe(cluster, ns, "default");
        JvmProcess first = worker(ns, "w0", settings);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      Waits.until(
          "first worker joined", () -> probe.activeMembers() == 1, Duration.ofSeconds(90), SAMPLE);
      List<CountedSleep> inputs =
          IntStream.range(0, 3_000)
              .mapToObj(i -> new CountedSleep(cluster.redisUrl(), ns, i, 100))
              .toList();
      AtomicLong done = new AtomicLong();
      MapOptions options =
          MapOptions.builder()
              .chunkSize(1)
              .timeout(Duration.ofMinutes(10))
              .onProgress((n, total) -> done.set(n))
              .build();
      CompletableFuture<List<Integer>> map =
          CompletableFuture.supplyAsync(
              () -> client.map("counted-sleep", inputs, Integer.class, options));
      Waits.until("first results", () -> done.get() >= 40, Duration.ofSeconds(60), SAMPLE);

      for (int i = 1; i <= 3; i++) {
        joiners.add(worker(ns, "w" + i, settings));
      }
      double[] up = measure(done, () -> probe.partitionsPerMember().equals(List.of(3, 3, 3, 3)));
      Waits.until(
          "progress at full size", () -> done.get() >= 1_000, Duration.ofMinutes(2), SAMPLE);
      joiners.forEach(JvmProcess::terminate);
      double[] down = measure(done, () -> probe.partitionsPerMember().equals(List.of(12)));
      map.join();
      figures.put("protocol_" + protocol + "_scale_up_s", up[0]);
      figures.put("protocol_" + protocol + "_scale_up_stall_s", up[1]);
      figures.put("protocol_" + protocol + "_scale_down_s", down[0]);
      figures.put("protocol_" + protocol + "_scale_down_stall_s", down[1]);
      return figures;
    } finally {
      joiners.forEach(JvmProcess::close);
    }
  }

  private JvmProcess worker(String ns, String id, Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("worker.id", id);
    return WorkerProcess.start(cluster, ns, all, logs.resolve(ns + "-" + id + ".log"));
  }

  /** Seconds until {@code settled}, and the longest stretch without a finished task meanwhile. */
  private static double[] measure(AtomicLong done, BooleanSupplier settled)
      throws InterruptedException {
    Stopwatch watch = Stopwatch.start();
    long last = done.get();
    double lastChange = 0;
    double longestStall = 0;
    while (!settled.getAsBoolean()) {
      if (watch.seconds() > 120) {
        throw new IllegalStateException("the group did not settle within 120 s");
      }
      double now = watch.seconds();
      long seen = done.get();
      if (seen != last) {
        last = seen;
        lastChange = now;
      }
      longestStall = Math.max(longestStall, now - lastChange);
      Thread.sleep(SAMPLE.toMillis());
    }
    return new double[] {watch.seconds(), longestStall};
  }
}
