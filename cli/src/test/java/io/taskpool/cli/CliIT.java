package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class CliIT {

  @Test
  void anUnknownFlagIsAOneLineErrorWithExitCode2() {
    CliRun result = run(null, "submit", "square", "3", "--bogus");

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err.strip()).doesNotContain("\n").startsWith("taskpool: Unknown option: '--bogus'");
  }

  @Test
  void aMistypedWorkerSettingOfTheCoordinatorIsAOneLineErrorNamingTheClosestKey(LocalCluster cluster) {
    CliRun result = run(null, "coordinator", "--worker-setting", "soft.time.limit=500", "--bootstrap-servers", cluster.kafkaBootstrap(), "--status-port", "0");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip()).doesNotContain("\n").isEqualTo("taskpool: unknown setting 'soft.time.limit' (did you mean 'soft.time.limit.ms'?)");
  }

  @Test
  void anUnreachableBrokerIsAOneLineError() {
    CliRun result = run(null, "submit", "square", "3", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip()).doesNotContain("\n").startsWith("taskpool: cannot reach Kafka at 127.0.0.1:1");
  }

  @Test
  void submitToAQueueNobodyServesSaysSoAndGivesUpAfterItsTimeout(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("nobody");

    CliRun result = run(null, "submit", "square", "3", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns, "--timeout", "4s");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.lines()).containsExactly("taskpool: no worker serves " + ns + "/default yet; waiting up to 4s (--timeout)", "taskpool: no result for square within 4s: no worker serves " + ns + "/default");
  }

  @Test
  void mapToAQueueNobodyServesSaysSoAndGivesUpWhenNoResultCameWithinItsTimeout(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("nobody-map");

    CliRun result = run("1\n2\n", "map", "square", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns, "--timeout", "4s");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.out).isEmpty();
    assertThat(result.err.lines()).containsExactly("taskpool: no worker serves " + ns + "/default yet; waiting up to 4s (--timeout)", "taskpool: no result of square arrived for 4 s (2 outstanding): no worker serves " + ns + "/default");
  }

  @Test
  void aTimeoutThatIsNotADurationIsAOneLineError() {
    CliRun result = run(null, "submit", "square", "3", "--timeout", "soon");

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err.strip()).doesNotContain("\n").contains("'soon' is not a duration: use e.g. 30s, 5m, 1h or 500ms");
  }

  @Test
  void mapReadsJsonLinesAndPrintsResultsInOrderAndMalformedInputIsNamed(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("cli");
    try (Worker worker = new Worker(WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();

      CliRun ok = run("1\n2\n\n3\n", "map", "square", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns);
      assertThat(ok.exit).as(ok.err).isZero();
      assertThat(ok.out.lines()).containsExactly("1", "4", "9");

      CliRun bad = run("1\n{oops\n", "map", "square", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns);
      assertThat(bad.exit).isEqualTo(1);
      assertThat(bad.err.strip()).doesNotContain("\n").isEqualTo("taskpool: stdin line 2 is not JSON: {oops");
    }
  }

  @Test
  void dlqListShowsDeadLettersWithTheirErrorAndReplayPutsThemBack(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("cli-dlq");
    try (Worker worker = new Worker(WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        TaskClient client = TaskClient.connect(ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();
      // Given a task whose input can never be a square's Integer
      client.put("square", "not a number").join();
      String[] list = {"dlq", "list", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns};
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 1);

      // Then list shows it with its error, and replay submits it again (and it fails again)
      assertThat(run(null, list).out).contains("\"taskpool.task\":\"square\"").contains("malformed payload");
      CliRun replay = run(null, "dlq", "replay", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns);
      assertThat(replay.out.strip()).isEqualTo("replayed 1 task(s) to " + ns + ".tasks.default");
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 2);
    }
  }

  private static CliRun run(String stdin, String... args) {
    return CliRun.of(stdin, args);
  }

}
