package io.taskpool.bench;

import io.taskpool.bench.BenchTasks.CountedSleep;
import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import redis.clients.jedis.JedisPooled;

/**
 * Tasks that take real time on a pool that autoscales 1 -> 4 (2 handler threads each, target lag
 * 100, the coordinator's default poll interval): wall time against the ideal (the work divided by
 * the final pool's threads, plus the measured time to reach that size), duplicate executions
 * (counted in Redis per task id) and the longest stretch with a backlog and no progress.
 */
final class SlowTaskBench {
  private static final int MAX_WORKERS = 4;
  private static final int THREADS = 2;
  private static final Duration SAMPLE = Duration.ofMillis(50);

  private final LocalCluster cluster;
  private final Path logs;

  SlowTaskBench(LocalCluster cluster, Path logs) {
    this.cluster = cluster;
    this.logs = logs;
  }

  /**
   * Figures of {@code tasks} tasks of {@code millis} ms each, keys suffixed with {@code
   * _<millis>ms}.
   */
  Map<String, Object> run(int tasks, int millis) throws InterruptedException {
    String ns = LocalCluster.uniqueNamespace("bench-slow");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "bench-slow")
            .statusPort(0)
            .namespace(ns)
            .workers(1, MAX_WORKERS)
            .targetLagPerWorker(100)
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "" + THREADS))
            .build();
    try (Coordinator coordinator = new Coordinator(options, logs.resolve(ns)).start();
        GroupProbe probe = new GroupProbe(cluster, ns, "default");
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      Waits.until(
          "first worker joined", () -> probe.activeMembers() == 1, Duration.ofSeconds(90), SAMPLE);
      List<CountedSleep> inputs =
          IntStream.range(0, tasks)
              .mapToObj(i -> new CountedSleep(cluster.redisUrl(), ns, i, millis))
              .toList();
      AtomicLong done = new AtomicLong();
      MapOptions mapOptions =
          MapOptions.builder()
              .chunkSize(1)
              .timeout(Duration.ofMinutes(10))
              .onProgress((n, total) -> done.set(n))
              .build();
      Stopwatch watch = Stopwatch.start();
      CompletableFuture<List<Integer>> map =
          CompletableFuture.supplyAsync(
              () -> client.map("counted-sleep", inputs, Integer.class, mapOptions));
      double fullSize = -1;
      double longestStall = 0;
      double stallStart = 0;
      long lastDone = -1;
      long doneAtFullSize = 0;
      double nextReport = 0;
      while (!map.isDone()) {
        double now = watch.seconds();
        int members = probe.activeMembers();
        if (fullSize < 0 && members >= MAX_WORKERS) {
          fullSize = now;
          doneAtFullSize = done.get();
        }
        if (now >= nextReport) {
          System.err.printf(
              "[bench] slow %d ms: %5.1f s, %d workers %s, %d of %d done%n",
              millis, now, members, probe.partitionsPerMember(), done.get(), tasks);
          nextReport += 2;
        }
        long seen = done.get();
        if (seen != lastDone) {
          lastDone = seen;
          stallStart = now;
        } else {
          longestStall = Math.max(longestStall, now - stallStart);
        }
        Thread.sleep(SAMPLE.toMillis());
      }
      List<Integer> results = map.join();
      double wall = watch.seconds();
      if (!results.equals(IntStream.range(0, tasks).boxed().toList())) {
        throw new IllegalStateException("slow map returned wrong results");
      }
      double ideal =
          (fullSize < 0 ? 0 : fullSize) + tasks * millis / 1000.0 / (MAX_WORKERS * THREADS);
      long executions = executions(ns, tasks);
      String suffix = "_" + millis + "ms";
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("slow_tasks" + suffix, tasks);
      figures.put("slow_wall_s" + suffix, wall);
      figures.put("slow_full_size_s" + suffix, fullSize);
      figures.put("slow_wall_vs_ideal" + suffix, wall / ideal);
      figures.put("slow_duplicate_ratio" + suffix, executions / (double) tasks - 1);
      figures.put("slow_longest_stall_s" + suffix, longestStall);
      figures.put(
          "slow_rate_at_full_size_per_s" + suffix,
          fullSize < 0 ? 0 : (tasks - doneAtFullSize) / (wall - fullSize));
      return figures;
    }
  }

  private long executions(String ns, int tasks) {
    try (JedisPooled redis = new JedisPooled(URI.create(cluster.redisUrl()))) {
      long total = 0;
      for (int from = 0; from < tasks; from += 1_000) {
        String[] keys =
            IntStream.range(from, Math.min(tasks, from + 1_000))
                .mapToObj(i -> ns + ":runs:" + i)
                .toArray(String[]::new);
        for (String value : redis.mget(keys)) {
          total += value == null ? 0 : Long.parseLong(value);
        }
      }
      return total;
    }
  }
}
