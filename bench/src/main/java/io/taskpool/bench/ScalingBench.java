package io.taskpool.bench;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.coordinator.CoordinatorStatus;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The coordinator's reaction: from a backlog appearing to the scale-up decision and to the pool
 * running at its new size, and the drain time of a backlog with autoscaling (1 → max) against a
 * fixed pool of max workers. Both pools are run by a coordinator with the product's default poll
 * interval (2 s); tasks wait 1 ms each, like a call to another service.
 */
final class ScalingBench {
  private static final int MAX_WORKERS = 4;
  private static final Duration POLL = Duration.ofMillis(20);

  private final LocalCluster cluster;
  private final Path logs;

  ScalingBench(LocalCluster cluster, Path logs) {
    this.cluster = cluster;
    this.logs = logs;
  }

  /** Seconds: {decision, pool at new size, drained} for an autoscaled pool of 1 to max. */
  double[] autoscaled(int tasks) throws InterruptedException {
    return run(tasks, 1);
  }

  /** Seconds to drain {@code tasks} with a fixed pool of max workers. */
  double fixed(int tasks) throws InterruptedException {
    return run(tasks, MAX_WORKERS)[2];
  }

  private double[] run(int tasks, int minWorkers) throws InterruptedException {
    String ns = LocalCluster.uniqueNamespace("bench-scale");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "bench-host")
            .statusPort(0)
            .namespace(ns)
            .workers(minWorkers, MAX_WORKERS)
            .targetLagPerWorker(2_000)
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "4"))
            .build();
    try (Coordinator coordinator = new Coordinator(options, logs.resolve(ns)).start();
        GroupProbe probe = new GroupProbe(cluster, ns, "default");
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      Waits.until(
          "workers joined",
          () -> probe.activeMembers() == minWorkers,
          Duration.ofSeconds(90),
          POLL);
      Stopwatch watch = Stopwatch.start();
      CompletableFuture<Void> last = null;
      for (int i = 0; i < tasks; i++) {
        last = client.put("sleep-ms", 1);
      }
      last.join();
      double decision =
          minWorkers == MAX_WORKERS
              ? 0
              : awaitSeconds(watch, () -> desired(coordinator) > minWorkers);
      double resized =
          minWorkers == MAX_WORKERS
              ? 0
              : awaitSeconds(watch, () -> probe.activeMembers() >= MAX_WORKERS);
      double drained = awaitSeconds(watch, () -> probe.lag() == 0);
      return new double[] {decision, resized, drained};
    }
  }

  private static int desired(Coordinator coordinator) {
    CoordinatorStatus status = coordinator.status();
    return status == null ? 0 : status.desiredWorkers();
  }

  private static double awaitSeconds(Stopwatch watch, BooleanSupplier condition)
      throws InterruptedException {
    Waits.until("scaling step", condition, Duration.ofMinutes(5), POLL);
    return watch.seconds();
  }
}
