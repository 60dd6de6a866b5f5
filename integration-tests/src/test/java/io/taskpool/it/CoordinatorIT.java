package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.coordinator.WorkerStatus;
import io.taskpool.core.Namespace;
import io.taskpool.core.QueueMode;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One host's coordinator with real worker processes on the real broker. */
@ExtendWith(LocalClusterExtension.class)
class CoordinatorIT {

  @Test
  void aBacklogGrowsThePoolTowardsMaxAndWhenDrainedItShrinksToMin(LocalCluster cluster) {
    backlogGrowsThePoolToMaxAndDrainedItShrinksToMin(cluster);
  }

  /**
   * The scaling promise on any cluster (the compatibility suite runs it on other Kafka releases).
   */
  static void backlogGrowsThePoolToMaxAndDrainedItShrinksToMin(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("scale");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-a")
            .statusPort(0)
            .namespace(ns)
            .workers(1, 3)
            .targetLagPerWorker(500)
            .pollInterval(Duration.ofSeconds(1))
            .cooldown(Duration.ofSeconds(3))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 1);
      assertThatThrownBy(coordinator::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("coordinator host-a is running: start() runs once");

      // When a backlog of 20,000 slow-ish tasks appears
      List<CompletableFuture<Void>> puts =
          IntStream.range(0, 20_000).mapToObj(i -> client.put("slow-square", i)).toList();
      puts.forEach(CompletableFuture::join);

      // Then the pool grows to its max, works the backlog off, and shrinks back to min
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 3);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  coordinator.status().workers().stream().filter(w -> w.tasksDone() > 0).count()
                      >= 2);
      await().atMost(Duration.ofMinutes(3)).until(() -> probe.lag() == 0);
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 1);
      assertThat(coordinator.status().restarts()).isZero();
    }
  }

  @Test
  void aStatusPortAnotherProcessHoldsIsOneLineAndTheFailedCoordinatorLeavesNoClientBehind(
      LocalCluster cluster) throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      long adminsBefore = adminClientThreads();
      CoordinatorOptions options =
          CoordinatorOptions.builder(cluster.kafkaSettings(), "host-t")
              .statusPort(taken.getLocalPort())
              .namespace(LocalCluster.uniqueNamespace("taken"))
              .workerClassPath(JvmProcess.currentClassPath())
              .build();

      assertThatThrownBy(() -> new Coordinator(options, Path.of("target", "worker-logs", "taken")))
          .isInstanceOf(io.taskpool.core.TaskpoolException.class)
          .hasMessageStartingWith(
              "cannot serve the status page on port " + taken.getLocalPort() + ": ")
          .hasMessageEndingWith("(another coordinator on this host? set --status-port)");
      // Its admin client was closed with it: no more admin threads than before.
      await().atMost(Duration.ofSeconds(10)).until(() -> adminClientThreads() <= adminsBefore);
    }
  }

  private static long adminClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("kafka-admin-client-thread"))
        .count();
  }

  @Test
  void aWorkerKilledWithSigkillIsReplacedAndTheStatusEndpointShowsThePool(LocalCluster cluster)
      throws Exception {
    String ns = LocalCluster.uniqueNamespace("replace");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-b")
            .statusPort(0)
            .namespace(ns)
            .workers(2, 2)
            .pollInterval(Duration.ofMillis(500))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1"))
            .build();
    try (Coordinator coordinator =
        new Coordinator(options, Path.of("target", "worker-logs", ns)).start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 2);
      long victim = coordinator.status().workers().get(0).pid();

      // When one worker is killed with SIGKILL
      ProcessHandle.of(victim).orElseThrow().destroyForcibly();

      // Then a new process takes its place
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  running(coordinator) == 2
                      && coordinator.status().workers().stream().noneMatch(w -> w.pid() == victim));
      assertThat(coordinator.status().restarts()).isEqualTo(1);

      // And the status endpoint, page and metrics show two workers
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + coordinator.statusPort();
      String json =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      JsonNode status = new JsonCodec().tree(json.getBytes(StandardCharsets.UTF_8));
      assertThat(status.get("host").asText()).isEqualTo("host-b");
      assertThat(status.get("leader").asText()).isEqualTo("host-b");
      assertThat(status.get("workers"))
          .hasSize(2)
          .allSatisfy(w -> assertThat(w.get("state").asText()).isEqualTo("running"));
      assertThat(status.get("hosts"))
          .singleElement()
          .satisfies(h -> assertThat(h.get("quota").asInt()).isEqualTo(2));
      String html =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      // (the page draws its rows from /status in the browser: StatusPageInBrowserIT checks them)
      assertThat(html).contains("<table id=\"workers\">").contains("fetch(\"/status\"");
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .containsPattern(
              "taskpool_coordinator_workers\\{host=\"host-b\",namespace=\"[^\"]+\",queue=\"default\"\\}"
                  + " 2\\.0");
      assertThat(metrics)
          .containsPattern("taskpool_worker_restarts_total\\{host=\"host-b\",[^}]*\\} 1\\.0");

      // And it is alive and ready for the orchestrator's probes
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ready\n");
    }
  }

  @Test
  void inSharedModeThePoolGrowsPastThePartitionCountOnTheShareGroupsBacklog(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("scale-shared");
    try (TopicAdmin admin = new TopicAdmin(cluster.kafkaSettings())) {
      admin.ensureTopic(Namespace.of(ns).taskTopic("default"), 2, Map.of());
    }
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-s")
            .statusPort(0)
            .namespace(ns)
            .queueMode(QueueMode.SHARED)
            .workers(1, 4)
            .targetLagPerWorker(500)
            .pollInterval(Duration.ofSeconds(1))
            .cooldown(Duration.ofSeconds(3))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 1);

      // When 8,000 tasks of 2 ms queue up on a topic of two partitions
      IntStream.range(0, 8_000)
          .mapToObj(i -> client.put("slow-square", i))
          .toList()
          .forEach(CompletableFuture::join);

      // Then the pool grows to four workers, twice the partition count, and drains the share group
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 4);
      await().atMost(Duration.ofSeconds(30)).until(() -> probe.shareMembers() == 4);
      await().atMost(Duration.ofMinutes(3)).until(() -> probe.shareBacklog() == 0);
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 1);
    }
  }

  @Test
  void withMinZeroThePoolSleepsWakesOnTheFirstTaskAndSleepsAgain(LocalCluster cluster)
      throws Exception {
    String ns = LocalCluster.uniqueNamespace("scale-zero");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-z")
            .statusPort(0)
            .namespace(ns)
            .workers(0, 2)
            .pollInterval(Duration.ofMillis(500))
            .cooldown(Duration.ofSeconds(2))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.status() != null);
      assertThat(running(coordinator)).isZero();

      // When one task arrives at an empty pool, a worker is started and runs it
      assertThat(client.submit("square", 12, Integer.class).get(90, TimeUnit.SECONDS))
          .isEqualTo(144);
      assertThat(coordinator.status().restarts()).isZero();

      // And once the queue is empty for the cooldown, the pool is back to zero
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> running(coordinator) == 0 && coordinator.status().workers().isEmpty());
    }
  }

  @Test
  void allowedToAddPartitionsThePoolGrowsPastThePartitionCount(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("scale-partitions");
    String topic = Namespace.of(ns).taskTopic("default");
    try (TopicAdmin admin = new TopicAdmin(cluster.kafkaSettings())) {
      admin.ensureTopic(topic, 2, Map.of());
    }
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-p")
            .statusPort(0)
            .namespace(ns)
            .workers(1, 4)
            .targetLagPerWorker(500)
            .allowAddPartitions(true)
            .pollInterval(Duration.ofSeconds(1))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        GroupProbe probe = new GroupProbe(cluster, ns, "default");
        TopicAdmin admin = new TopicAdmin(cluster.kafkaSettings())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running(coordinator) == 1);

      // When a backlog calls for four workers on a topic of two partitions
      IntStream.range(0, 8_000)
          .mapToObj(i -> client.put("slow-square", i))
          .toList()
          .forEach(CompletableFuture::join);

      // Then the topic grows to four partitions and four workers own a share of them
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.partitionCount(topic).orElse(0) == 4);
      await().atMost(Duration.ofSeconds(90)).until(() -> probe.activeMembers() == 4);
    }
  }

  @Test
  void aWorkerIsRecycledAfterMaxTasksPerWorkerAndNoTaskIsLost(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("recycle");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-c")
            .statusPort(0)
            .namespace(ns)
            .workers(1, 1)
            .maxTasksPerWorker(300)
            .pollInterval(Duration.ofMillis(500))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // When 1,000 tasks run through a pool whose workers retire after 300 tasks each
      List<Integer> results =
          client.map(
              "square",
              IntStream.range(0, 1_000).boxed().toList(),
              Integer.class,
              MapOptions.chunkSize(1));

      // Then every result arrives, from at least four successive workers, none counted as a crash
      assertThat(results)
          .containsExactlyElementsOf(IntStream.range(0, 1_000).map(i -> i * i).boxed().toList());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  coordinator.status().workers().stream()
                      .anyMatch(w -> Integer.parseInt(w.id().substring("host-c-".length())) >= 4));
      assertThat(coordinator.status().restarts()).isZero();
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
