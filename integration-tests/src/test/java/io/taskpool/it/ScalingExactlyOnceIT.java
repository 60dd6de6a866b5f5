package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.coordinator.WorkerStatus;
import io.taskpool.it.TestTasks.Counted;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coordinator's promise under tasks that take real time: a pool that grows, shrinks or loses
 * members gracefully runs every task exactly once (counted in Redis per task id); only a killed
 * worker's in-flight tasks run again.
 */
@ExtendWith(LocalClusterExtension.class)
class ScalingExactlyOnceIT {

  @Test
  void aPoolGrowingFromOneToFourAndShrinkingBackRunsEveryFiftyMillisecondTaskExactlyOnce(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("grow");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-g")
            .statusPort(0)
            .namespace(ns)
            .workers(1, 4)
            .targetLagPerWorker(100)
            .pollInterval(Duration.ofSeconds(1))
            .cooldown(Duration.ofSeconds(2))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "2"))
            .build();
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 1);

      // When 3,000 tasks of 50 ms are mapped, one per record, and the pool grows on the backlog
      List<Counted> inputs = Counted.range(cluster.redisUrl(), ns, 3_000, 50);
      RunningMap map = RunningMap.start(client, "counted", inputs);
      await("the pool grows to 4")
          .atMost(Duration.ofSeconds(60))
          .until(() -> running(coordinator) == 4);

      // Then every result arrives in input order, and every task ran exactly once
      assertThat(map.results())
          .containsExactlyElementsOf(IntStream.range(0, 3_000).boxed().toList());
      assertThat(runs.neverRan(3_000)).isZero();
      assertThat(runs.duplicates(3_000)).as("tasks run twice").isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> probe.lag() == 0);

      // And the pool shrinks back to one without running anything again
      await("the pool shrinks to 1")
          .atMost(Duration.ofSeconds(60))
          .until(() -> running(coordinator) == 1);
      assertThat(runs.duplicates(3_000)).isZero();
      assertThat(coordinator.status().restarts()).isZero();
    }
  }

  @Test
  void aGracefulScaleDownFromFourToOneInTheMiddleOfAMapRunsEveryTaskExactlyOnce(
      LocalCluster cluster) {
    scaleDownFourToOne(cluster, "classic");
  }

  @Test
  void withTheConsumerGroupProtocolTooAGracefulScaleDownRunsEveryTaskExactlyOnce(
      LocalCluster cluster) {
    scaleDownFourToOne(cluster, "consumer");
  }

  private static void scaleDownFourToOne(LocalCluster cluster, String protocol) {
    String ns = LocalCluster.uniqueNamespace("shrink-" + protocol);
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // Given four workers of 4 threads
      Map<String, String> settings = Map.of("concurrency", "4", "group.protocol", protocol);
      JvmProcess keeper = fleet.start("w0", settings);
      List<JvmProcess> leaving =
          IntStream.range(1, 4).mapToObj(i -> fleet.start("w" + i, settings)).toList();
      fleet.awaitActiveMembers(4);

      // When three of them are stopped with SIGTERM (drain) a quarter into a map of 20 ms tasks
      List<Counted> inputs = Counted.range(cluster.redisUrl(), ns, 1_600, 20);
      RunningMap map = RunningMap.start(client, "counted", inputs).awaitProgress(400);
      leaving.forEach(JvmProcess::terminate);

      // Then they drain quickly (running tasks only), the map completes, and nothing ran twice
      // 143: the JVM's exit on SIGTERM once its shutdown hook has drained the worker.
      leaving.forEach(
          w ->
              assertThat(w.waitFor(Duration.ofSeconds(30)))
                  .as("exit code of a drained worker")
                  .isEqualTo(143));
      assertThat(map.results())
          .containsExactlyElementsOf(IntStream.range(0, 1_600).boxed().toList());
      assertThat(keeper.isAlive()).isTrue();
      assertThat(runs.neverRan(1_600)).isZero();
      assertThat(runs.duplicates(1_600)).as("tasks run twice").isZero();
    }
  }

  @Test
  void aWorkerKilledMidMapRerunsOnlyWhatWasInFlightOnIt(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("sigkill");
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    int threads = 2;
    int taskMillis = 50;
    int commitMillis = 100;
    Map<String, String> settings =
        Map.of("concurrency", "" + threads, "commit.interval.ms", "" + commitMillis);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      JvmProcess victim = fleet.start("victim", settings);
      for (int i = 1; i < 4; i++) {
        fleet.start("w" + i, settings);
      }
      fleet.awaitActiveMembers(4);

      // When one of four workers is killed with SIGKILL in the middle of a map
      List<Counted> inputs = Counted.range(cluster.redisUrl(), ns, 1_200, taskMillis);
      RunningMap map = RunningMap.start(client, "counted", inputs).awaitProgress(300);
      victim.kill();

      // Then all results arrive, and what ran twice is bounded by what the victim had in flight:
      // its running tasks, its unstarted window, and what it finished since its last commit.
      assertThat(map.results())
          .containsExactlyElementsOf(IntStream.range(0, 1_200).boxed().toList());
      int unstartedWindow = threads + (int) Math.ceil(threads * 50.0 / taskMillis);
      int finishedPerCommit =
          (int) Math.ceil(threads * (commitMillis + taskMillis) / (double) taskMillis);
      long duplicates = runs.duplicates(1_200);
      System.out.printf(
          "SIGKILL mid-map: %d tasks ran twice (bound %d)%n",
          duplicates, threads + unstartedWindow + finishedPerCommit);
      assertThat(runs.neverRan(1_200)).isZero();
      assertThat(duplicates).isLessThanOrEqualTo(threads + unstartedWindow + finishedPerCommit);
    }
  }

  private static long running(Coordinator coordinator) {
    return coordinator.status() == null
        ? -1
        : coordinator.status().workers().stream()
            .map(WorkerStatus::state)
            .filter("running"::equals)
            .count();
  }
}
