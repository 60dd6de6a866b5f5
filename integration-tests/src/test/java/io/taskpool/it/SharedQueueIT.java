package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.core.Namespace;
import io.taskpool.core.TaskFailedException;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.core.wire.WireHeaders;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.StatusFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SHARED queue mode: workers in a Kafka share group, more of them than partitions. */
@ExtendWith(LocalClusterExtension.class)
class SharedQueueIT {

  @Test
  void fiveWorkersOnATwoPartitionTopicAllReceiveWorkAndAMapOf10000Completes(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("shared-map");
    createTopic(cluster, ns, 2, null);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns)) {
      List<Path> statusFiles = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        statusFiles.add(startShared(fleet, ns, "w" + i, Map.of()));
      }
      awaitShareMembers(cluster, ns, 5);

      // When a map of 10,000 tasks of 2 ms runs on a topic with two partitions
      List<Integer> results =
          client.map(
              "slow-square",
              IntStream.range(0, 10_000).boxed().toList(),
              Integer.class,
              MapOptions.chunkSize(1));

      // Then every result arrives in order, and each of the five workers ran some of them
      assertThat(results)
          .containsExactlyElementsOf(IntStream.range(0, 10_000).map(i -> i * i).boxed().toList());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(statusFiles)
                      .allSatisfy(file -> assertThat(StatusFile.tasksDone(file)).isPositive()));
    }
  }

  @Test
  void recordsOfAWorkerKilledMidTaskAreRedeliveredAfterTheLockTimeout(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("shared-kill");
    createTopic(cluster, ns, 2, 2_000);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns)) {
      startShared(fleet, ns, "survivor", Map.of());
      JvmProcess victim = fleet.start("victim", shared(ns, "victim", Map.of()));
      awaitShareMembers(cluster, ns, 2);

      // When a worker is killed with SIGKILL while a map of 1,000 tasks of 20 ms runs
      RunningMap map =
          RunningMap.start(
              client, "sleep-ms", IntStream.range(0, 1_000).map(i -> 20).boxed().toList());
      map.awaitProgress(100);
      victim.kill();

      // Then its acquired records come back after their lock ran out and the map completes
      assertThat(map.results()).hasSize(1_000).containsOnly(20);
    }
  }

  @Test
  void aPoisonRecordIsRetriedWithBackoffThenDeadLetteredWhileASlowOneDelaysNothingElse(
      LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("shared-poison");
    createTopic(cluster, ns, 2, null);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns)) {
      Map<String, String> retries =
          Map.of("retry.max.attempts", "3", "retry.backoff.ms", "200", "concurrency", "2");
      startShared(fleet, ns, "w1", retries);
      startShared(fleet, ns, "w2", retries);
      awaitShareMembers(cluster, ns, 2);

      // When a slow task (15 s: well past the quick ones even on a loaded CI machine, where 500
      // took over 8 s once), a task that always fails and 300 quick ones are queued in that
      // order
      CompletableFuture<Integer> slow = client.submit("sleep-ms", 15_000, Integer.class);
      CompletableFuture<Integer> poison = client.submit("boom", 7, Integer.class);
      List<CompletableFuture<Integer>> quick =
          IntStream.range(0, 300).mapToObj(i -> client.submit("square", i, Integer.class)).toList();

      // Then the quick ones all finish while the slow one still runs
      CompletableFuture.allOf(quick.toArray(CompletableFuture[]::new))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(slow).isNotDone();
      // And the poison one fails after three attempts and lands in the dead-letter topic with its
      // error
      assertThat(poison)
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(TaskFailedException.class)
          .withMessageContaining("boom on 7");
      List<ConsumerRecord<byte[], byte[]>> dead =
          RawKafka.read(
              cluster, Namespace.of(ns).deadLetterTopic("default"), 1, Duration.ofSeconds(30));
      assertThat(RawKafka.header(dead.get(0), WireHeaders.ATTEMPTS)).isEqualTo("3");
      assertThat(slow.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(15_000);
    }
  }

  @Test
  void aSigtermedWorkerFinishesItsRunningTasksHandsBackTheRestAndLeaves(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("shared-drain");
    // One partition: every share consumer of both workers takes records from it
    createTopic(cluster, ns, 1, null);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns)) {
      // Given a worker that has taken batches of 1 s tasks (up to 16 per consumer; 48 tasks: more
      // than its consumers run at once, so it holds queued ones). It starts alone, so it holds
      // some whatever the share fetches' timing (a worker started with another may get none).
      Map<String, String> settings = shared(ns, "leaving", Map.of());
      JvmProcess leaving = fleet.start("leaving", settings);
      awaitShareMembers(cluster, ns, 1);
      RunningMap map =
          RunningMap.start(
              client, "sleep-ms", IntStream.range(0, 48).map(i -> 1_000).boxed().toList());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> StatusFile.tasksDone(Path.of(settings.get("status.file"))) >= 2);
      // And a second worker that joins the share group
      startShared(fleet, ns, "stays", Map.of());
      awaitShareMembers(cluster, ns, 2);

      // When the first one is sent SIGTERM mid-map
      leaving.terminate();

      // Then it exits once its running tasks are done (its queued records go back at once rather
      // than running one after another), and every result arrives
      assertThat(leaving.waitFor(Duration.ofSeconds(10)))
          .as("exit code within 10 s (-1: still running)")
          .isNotEqualTo(-1);
      assertThat(map.results()).hasSize(48).containsOnly(1_000);
    }
  }

  @Test
  void aTaskLongerThanTheRecordLockRenewsItAndRunsOnce(LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("shared-renew");
    createTopic(cluster, ns, 2, 2_000);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns)) {
      Path first = startShared(fleet, ns, "w1", Map.of());
      Path second = startShared(fleet, ns, "w2", Map.of());
      awaitShareMembers(cluster, ns, 2);

      // When a task runs 7 s under a record lock of 2 s
      assertThat(
              client
                  .submit("sleep-ms", 7_000, Integer.class)
                  .get(60, java.util.concurrent.TimeUnit.SECONDS))
          .isEqualTo(7_000);

      // Then, even a lock period later, it ran once in all
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> StatusFile.tasksDone(first) + StatusFile.tasksDone(second) == 1);
      try (GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.shareBacklog() == 0);
      }
    }
  }

  private static TaskClient client(LocalCluster cluster, String ns) {
    return TaskClient.connect(
        ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
  }

  /**
   * Creates the task topic and, for a short record lock, configures the share group before any
   * worker joins.
   */
  private static void createTopic(
      LocalCluster cluster, String ns, int partitions, Integer lockMillis) {
    try (TopicAdmin admin = new TopicAdmin(cluster.kafkaSettings())) {
      admin.ensureTopic(Namespace.of(ns).taskTopic("default"), partitions, Map.of());
      if (lockMillis != null) {
        admin.setShareGroupConfigs(
            Namespace.of(ns).shareGroup("default"),
            Map.of("share.record.lock.duration.ms", String.valueOf(lockMillis)));
      }
    }
  }

  private static Path startShared(
      WorkerFleet fleet, String ns, String id, Map<String, String> extra) {
    Map<String, String> settings = shared(ns, id, extra);
    fleet.start(id, settings);
    return Path.of(settings.get("status.file"));
  }

  private static Map<String, String> shared(String ns, String id, Map<String, String> extra) {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "queue.mode",
                "SHARED",
                "concurrency",
                "2",
                "status.file",
                Path.of("target", "worker-logs", ns + "-" + id + ".status")
                    .toAbsolutePath()
                    .toString()));
    settings.putAll(extra);
    return settings;
  }

  /** Each worker runs one share consumer per handler thread (concurrency 2 here). */
  private static void awaitShareMembers(LocalCluster cluster, String ns, int workers) {
    int count = workers * 2;
    try (GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      await("" + count + " share-group members")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> probe.shareMembers() == count);
    }
  }
}
