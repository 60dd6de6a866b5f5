package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.core.wire.ControlMessage;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class DrainIT {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void theSentinelStopsTheAddressedWorkerThenAllWorkers(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("sentinel");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      JvmProcess first = fleet.start("w1", Map.of());
      JvmProcess second = fleet.start("w2", Map.of());
      fleet.awaitActiveMembers(2);

      // When the sentinel addresses w1 only
      client.sendControl(ControlMessage.stopWorker("w1")).join();

      // Then w1 drains and exits cleanly while w2 keeps serving
      assertThat(first.waitFor(EXIT_TIMEOUT)).as(first.output()).isZero();
      assertThat(first.output()).contains("worker w1 stopped");
      assertThat(second.isAlive()).isTrue();
      assertThat(client.map("square", IntStream.range(0, 50).boxed().toList(), Integer.class))
          .hasSize(50);

      // And the sentinel to all stops w2
      client.sendControl(ControlMessage.stopAll()).join();
      assertThat(second.waitFor(EXIT_TIMEOUT)).as(second.output()).isZero();
    }
  }

  @Test
  void theSentinelWhenIdleStopsTheWorkerOnlyAfterTheQueueIsEmpty(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("idle");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      // Given a queue of 2,000 tasks nobody waits on (Queue.put), and a worker
      List<CompletableFuture<Void>> puts =
          IntStream.range(0, 2_000).mapToObj(i -> client.put("slow-square", i)).toList();
      puts.forEach(CompletableFuture::join);
      JvmProcess worker = fleet.start("w1", Map.of("concurrency", "2"));
      fleet.awaitActiveMembers(1);

      // When it is told to stop once idle, as Python's sentinel at the end of a queue
      client
          .sendControl(
              new ControlMessage(ControlMessage.STOP, "w1", null, ControlMessage.WHEN_IDLE))
          .join();

      // Then it works off the whole queue first, commits, and exits cleanly
      assertThat(worker.waitFor(Duration.ofMinutes(2))).as(worker.output()).isZero();
      assertThat(probe.lag()).isZero();
    }
  }

  @Test
  void sigtermDrainsInFlightTasksAndNoTaskIsLost(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("sigterm");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      JvmProcess first = fleet.start("first", Map.of("concurrency", "2"));
      fleet.awaitActiveMembers(1);

      List<Integer> inputs = IntStream.range(0, 4_000).boxed().toList();
      RunningMap map = RunningMap.start(client, "slow-square", inputs).awaitProgress(500);

      // When the worker gets SIGTERM mid-map
      first.terminate();

      // Then it drains and exits (143 = terminated by SIGTERM after the shutdown hook ran)
      assertThat(first.waitFor(EXIT_TIMEOUT)).as(first.output()).isEqualTo(143);
      assertThat(first.output()).contains("worker first stopped");

      // And a new worker finishes the rest: every result arrives
      fleet.start("second", Map.of("concurrency", "2"));
      assertThat(map.results()).containsExactlyElementsOf(inputs.stream().map(n -> n * n).toList());
    }
  }
}
