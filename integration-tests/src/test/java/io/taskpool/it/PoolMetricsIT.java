package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Prometheus metrics as an operator scrapes them: the counts are the work done, exactly. */
@ExtendWith(LocalClusterExtension.class)
class PoolMetricsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aCoordinatorsMetricsSumItsWorkersCountsExactlyAcrossWorkersThatWereRecycled(
      LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("metrics");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-m")
            .statusPort(0)
            .namespace(ns)
            .workers(2, 2)
            .pollInterval(Duration.ofMillis(500))
            .maxTasksPerWorker(700)
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "2"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // When 2,000 tasks run one per record (each worker is replaced after 700: a rebalance as the
      // second worker joins used to leave the first short of its budget for good), 5 fail for good
      // and 3 name a task nobody registered
      List<Long> results =
          client.map(
              "lsquare",
              IntStream.range(0, 2_000).boxed().toList(),
              Long.class,
              MapOptions.chunkSize(1));
      assertThat(results).hasSize(2_000);
      List<CompletableFuture<Void>> bad =
          IntStream.range(0, 5).mapToObj(i -> client.put("lsquare", "not a number")).toList();
      List<CompletableFuture<Void>> unknown =
          IntStream.range(0, 3).mapToObj(i -> client.put("no-such-task-" + i, 1)).toList();
      bad.forEach(CompletableFuture::join);
      unknown.forEach(CompletableFuture::join);
      String base = "http://localhost:" + coordinator.statusPort() + "/metrics";

      // Then the coordinator's /metrics counts exactly that, recycled workers included
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                String metrics = scrape(base);
                assertThat(sum(metrics, "taskpool_tasks_succeeded_total", "lsquare"))
                    .isEqualTo(2_000);
                assertThat(sum(metrics, "taskpool_tasks_failed_total", "lsquare")).isEqualTo(5);
                assertThat(sum(metrics, "taskpool_tasks_dead_lettered_total", "unknown"))
                    .isEqualTo(3);
              });
      String metrics = scrape(base);
      assertThat(sum(metrics, "taskpool_tasks_started_total", "lsquare")).isEqualTo(2_005);
      assertThat(sum(metrics, "taskpool_tasks_dead_lettered_total", "lsquare")).isEqualTo(5);
      assertThat(sum(metrics, "taskpool_task_duration_seconds_count", "lsquare")).isEqualTo(2_005);
      assertThat(sum(metrics, "taskpool_tasks_retried_total", "lsquare")).isZero();
      assertThat(metrics).doesNotContain("no-such-task-");
      assertThat(metrics)
          .containsPattern(
              "taskpool_task_duration_seconds_bucket\\{host=\"host-m\",namespace=\""
                  + ns
                  + "\",outcome=\"succeeded\",queue=\"default\",task=\"lsquare\",le=\"0\\.001\"\\}"
                  + " ");
      assertThat(metrics)
          .contains("# HELP taskpool_tasks_succeeded_total tasks whose handler returned a result");
      assertThat(metrics)
          .containsPattern(
              "taskpool_queue_lag\\{host=\"host-m\",namespace=\""
                  + ns
                  + "\",partition=\"0\",queue=\"default\"\\} ");
      assertThat(metrics)
          .containsPattern(
              "taskpool_worker_restarts_total\\{host=\"host-m\",namespace=\""
                  + ns
                  + "\",queue=\"default\"\\} 0\\.0");
      // (Recycled after 700 tasks each, so more than the 2 started first served the map)
      assertThat(coordinator.status().workers())
          .allSatisfy(w -> assertThat(w.id()).startsWith("host-m-"));
    }
  }

  @Test
  void aWorkerWithAMetricsPortServesItsOwnCounts(LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("metrics-port");
    try (Worker worker =
            new Worker(
                WorkerOptions.builder()
                    .kafka(cluster.kafkaSettings())
                    .namespace(ns)
                    .hostId("h1")
                    .metricsPort(0)
                    .build());
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();

      client.map(
          "lsquare", IntStream.range(0, 300).boxed().toList(), Long.class, MapOptions.chunkSize(1));

      String metrics = scrape("http://localhost:" + worker.metricsPort() + "/metrics");
      assertThat(sum(metrics, "taskpool_tasks_succeeded_total", "lsquare")).isEqualTo(300);
      assertThat(metrics)
          .contains(
              "taskpool_tasks_in_flight{host=\"h1\",namespace=\""
                  + ns
                  + "\",queue=\"default\"} 0.0");
    }
  }

  private static String scrape(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sum of every sample of {@code metric} for {@code task}. */
  private static long sum(String metrics, String metric, String task) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
    double total = 0;
    while (m.find()) {
      if (m.group(1).contains("task=\"" + task + "\"")) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return Math.round(total);
  }
}
