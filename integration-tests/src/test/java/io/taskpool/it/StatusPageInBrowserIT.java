package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coordinator's status page as an operator sees it: rendered by a real browser, checked against
 * /status.
 */
@ExtendWith(LocalClusterExtension.class)
class StatusPageInBrowserIT {

  @Test
  void thePageShowsWorkersTasksDeadLettersExitsAndChartsWhosePointsAreTheStatusHistory(
      LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("page");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-p")
            .statusPort(0)
            .namespace(ns)
            .workers(2, 2)
            .pollInterval(Duration.ofMillis(500))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "2"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        Worker plain =
            new Worker(
                WorkerOptions.builder()
                    .kafka(cluster.kafkaSettings())
                    .namespace(ns)
                    .workerId("plain-1")
                    .concurrency(1)
                    .build());
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      plain.handlers().discover(getClass().getClassLoader());
      plain.start();
      StatusPage status = new StatusPage("localhost", coordinator.statusPort());
      await().atMost(Duration.ofSeconds(60)).until(() -> status.running() == 2);

      // Given some work: 3,000 tasks, 3 that fail for good, and one worker killed
      client.map(
          "lsquare",
          IntStream.range(0, 3_000).boxed().toList(),
          Long.class,
          MapOptions.chunkSize(1));
      List<CompletableFuture<Void>> bad =
          IntStream.range(0, 3).mapToObj(i -> client.put("lsquare", "not a number")).toList();
      bad.forEach(CompletableFuture::join);
      long victim = coordinator.status().workers().get(0).pid();
      ProcessHandle.of(victim).orElseThrow().destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  status.read().get("exits").size() == 1
                      && status.running() == 2
                      && status.read().get("recentDeadLetters").size() == 3
                      && status.read().get("members").size() == 3
                      // workers write their counts every second: wait for this host's lsquare row
                      && stream(status.read().get("tasks"))
                          .anyMatch(t -> t.get("task").asText().equals("lsquare")));

      // When a browser loads the page
      String base = "http://localhost:" + coordinator.statusPort() + "/";
      Document page = Jsoup.parse(HeadlessChromium.dom(base, 3_000));
      JsonNode now = status.read();
      HeadlessChromium.screenshot(base, Path.of("target", "status-page.png"), 1400, 1600, 3_000);

      // Then the summary and the worker rows are the pool's, the plain worker marked as such
      assertThat(page.getElementById("summary").text())
          .contains("2 of 2 workers here")
          .contains("3 dead letters")
          .contains("1 restarts");
      List<String> workerRows = page.select("#workers tbody tr").eachText();
      for (JsonNode worker : now.get("workers")) {
        assertThat(workerRows)
            .anySatisfy(
                row ->
                    assertThat(row)
                        .contains(worker.get("id").asText())
                        .contains("running")
                        .contains("coordinator host-p"));
      }
      assertThat(workerRows)
          .anySatisfy(
              row ->
                  assertThat(row)
                      .contains("taskpool-worker-plain-1")
                      .contains("not a coordinator (plain worker)"));
      // per task name, the counts of this host's workers (the plain worker's share is its own)
      Element lsquare =
          page.select("#tasks tbody tr").stream()
              .filter(r -> r.child(0).text().equals("lsquare"))
              .findFirst()
              .orElseThrow();
      JsonNode lsquareStats =
          stream(now.get("tasks"))
              .filter(t -> t.get("task").asText().equals("lsquare"))
              .findFirst()
              .orElseThrow();
      assertThat(lsquare.child(1).text())
          .isEqualTo(
              String.format(java.util.Locale.ROOT, "%,d", lsquareStats.get("succeeded").asLong()));
      assertThat(page.select("#dead-letters tbody tr"))
          .hasSize(3)
          .allSatisfy(
              r ->
                  assertThat(r.text())
                      .contains("lsquare")
                      .contains("NonRetriableTaskException: malformed payload"));
      assertThat(page.select("#exits tbody tr"))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.text())
                      .contains(String.valueOf(victim))
                      .contains("137")
                      .contains("crashed")
                      .contains(".log"));
      assertThat(page.select("nav a").eachAttr("href"))
          .containsExactly("/status", "/metrics", "/readyz");

      // And both charts have a labelled time axis, a y axis with its unit, and the history's points
      for (String[] chart :
          new String[][] {
            {"chart-lag", "lag", "tasks"}, {"chart-rate", "tasksPerSecond", "tasks/s"}
          }) {
        Element svg = page.getElementById(chart[0]);
        assertThat(svg.select("text.x-label").eachText())
            .hasSize(5)
            .allMatch(t -> t.matches("\\d\\d:\\d\\d:\\d\\d"));
        assertThat(svg.select("text.y-label").eachText())
            .hasSize(5)
            .allMatch(t -> t.matches("[\\d,]+"));
        assertThat(svg.select("text.axis-title").eachText()).containsExactly(chart[2], "time");
        assertPointsMatchHistory(svg.selectFirst("polyline.series"), now.get("history"), chart[1]);
      }
      assertThat(Files.size(Path.of("target", "status-page.png"))).isGreaterThan(20_000);
    }
  }

  /** Every sample the page drew that /status still has sits where the axes say it should. */
  private static void assertPointsMatchHistory(Element polyline, JsonNode history, String field) {
    String[] times = polyline.attr("data-times").split(",");
    String[] points = polyline.attr("points").split(" ");
    assertThat(points).hasSameSizeAs(times).hasSizeGreaterThanOrEqualTo(5);
    double t0 = Double.parseDouble(polyline.attr("data-t0"));
    double t1 = Double.parseDouble(polyline.attr("data-t1"));
    double ymax = Double.parseDouble(polyline.attr("data-ymax"));
    double left = Double.parseDouble(polyline.attr("data-left"));
    double top = Double.parseDouble(polyline.attr("data-top"));
    double width = Double.parseDouble(polyline.attr("data-width"));
    double height = Double.parseDouble(polyline.attr("data-height"));
    Map<Long, Double> values = new HashMap<>();
    history.forEach(s -> values.put(s.get("epochMillis").asLong(), s.get(field).asDouble()));
    List<Long> matched = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      long t = Long.parseLong(times[i]);
      Double value = values.get(t);
      if (value == null) {
        continue;
      }
      String[] xy = points[i].split(",");
      assertThat(Double.parseDouble(xy[0]))
          .as("x of the sample at " + t)
          .isCloseTo(
              left + (t - t0) / (t1 - t0) * width, org.assertj.core.data.Offset.offset(0.11));
      assertThat(Double.parseDouble(xy[1]))
          .as("y of the sample at " + t)
          .isCloseTo(
              top + height - value / ymax * height, org.assertj.core.data.Offset.offset(0.11));
      matched.add(t);
    }
    assertThat(matched)
        .as("samples of the page still in /status")
        .hasSizeGreaterThanOrEqualTo(points.length - 2);
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> all = new ArrayList<>();
    array.forEach(all::add);
    return all.stream();
  }
}
