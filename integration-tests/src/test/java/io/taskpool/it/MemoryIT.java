package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
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

@ExtendWith(LocalClusterExtension.class)
class MemoryIT {
  private static final long MIB = 1024 * 1024;

  @Test
  void anIdleWorkerProcessWithTheDefaultJvmOptionsStaysUnder200MiB(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("rss");
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      JvmProcess worker = fleet.start("w1", Map.of());
      fleet.awaitActiveMembers(1);
      // Warm it up with some work, then let it idle.
      assertThat(client.map("square", IntStream.range(0, 20_000).boxed().toList(), Integer.class))
          .hasSize(20_000);
      await()
          .pollDelay(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(worker::isAlive);

      long rss = worker.residentBytes();
      assertThat(rss).as("idle worker RSS %d MiB", rss / MIB).isLessThan(200 * MIB);
    }
  }

  @Test
  void imapOverTenMillionLazyInputsRunsInA128MiBClientHeap(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("imap10m");
    long count = 10_000_000;
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns)) {
      fleet.start("w1", Map.of("concurrency", "1"));
      fleet.start("w2", Map.of("concurrency", "1"));
      fleet.awaitActiveMembers(2);

      try (JvmProcess client =
          JvmProcess.start(
              ImapTenMillion.class.getName(),
              List.of("-Xmx128m", "-XX:+UseSerialGC"),
              List.of(cluster.kafkaBootstrap(), ns, String.valueOf(count)),
              Path.of("target", "worker-logs", ns + "-client.log"))) {
        assertThat(client.waitFor(Duration.ofMinutes(5))).as(client.output()).isZero();
        long expectedSum = 0;
        for (long n = 0; n < count; n++) {
          expectedSum += n * n;
        }
        assertThat(client.output()).contains("count=" + count + " sum=" + expectedSum);
      }
    }
  }
}
