package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class CliIT {

  @Test
  void anUnknownFlagIsAOneLineErrorWithExitCode2() {
    CliRun result = run(null, "submit", "square", "3", "--bogus");

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .startsWith("taskpool: Unknown option: '--bogus'");
  }

  @Test
  void aMistypedWorkerSettingOfTheCoordinatorIsAOneLineErrorNamingTheClosestKey(
      LocalCluster cluster) {
    CliRun result =
        run(
            null,
            "coordinator",
            "--worker-setting",
            "soft.time.limit=500",
            "--bootstrap-servers",
            cluster.kafkaBootstrap(),
            "--status-port",
            "0");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .isEqualTo(
            "taskpool: unknown setting 'soft.time.limit' (did you mean 'soft.time.limit.ms'?)");
  }

  @Test
  void anUnreachableBrokerIsAOneLineError() {
    CliRun result = run(null, "submit", "square", "3", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .startsWith("taskpool: cannot reach Kafka at 127.0.0.1:1");
  }

  @Test
  void submitToAQueueNobodyServesSaysSoAndGivesUpAfterItsTimeout(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("nobody");

    CliRun result =
        run(
            null,
            "submit",
            "square",
            "3",
            "--bootstrap-servers",
            cluster.kafkaBootstrap(),
            "--namespace",
            ns,
            "--timeout",
            "4s");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.lines())
        .containsExactly(
            "taskpool: no worker serves " + ns + "/default yet; waiting up to 4s (--timeout)",
            "taskpool: no result for square within 4s: no worker serves " + ns + "/default");
  }

  @Test
  void mapToAQueueNobodyServesSaysSoAndGivesUpWhenNoResultCameWithinItsTimeout(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("nobody-map");

    CliRun result =
        run(
            "1\n2\n",
            "map",
            "square",
            "--bootstrap-servers",
            cluster.kafkaBootstrap(),
            "--namespace",
            ns,
            "--timeout",
            "4s");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.out).isEmpty();
    assertThat(result.err.lines())
        .containsExactly(
            "taskpool: no worker serves " + ns + "/default yet; waiting up to 4s (--timeout)",
            "taskpool: no result of square arrived for 4 s (2 outstanding): no worker serves "
                + ns
                + "/default");
  }

  @Test
  void aTimeoutThatIsNotADurationIsAOneLineError() {
    CliRun result = run(null, "submit", "square", "3", "--timeout", "soon");

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .contains("'soon' is not a duration: use e.g. 30s, 5m, 1h or 500ms");
  }

  @Test
  void mapReadsJsonLinesAndPrintsResultsInOrderAndStopsAtALineThatIsNotOneJsonValue(
      LocalCluster cluster) {
    try (ServedQueue queue = ServedQueue.start(cluster, "cli")) {
      CliRun ok = queue.map("1\n2\n\n3\n");
      assertThat(ok.exit).as(ok.err).isZero();
      assertThat(ok.out.lines()).containsExactly("1", "4", "9");

      // What came before the bad line is done and printed; the error names the line
      CliRun bad = queue.map("1\n{oops\n3\n");
      assertThat(bad.exit).isEqualTo(1);
      assertThat(bad.out.lines()).containsExactly("1");
      assertThat(bad.err.strip())
          .doesNotContain("\n")
          .isEqualTo("taskpool: stdin line 2 is not one JSON value: {oops");

      CliRun trailing = queue.map("1 2 3\n");
      assertThat(trailing.exit).isEqualTo(1);
      assertThat(trailing.err.strip())
          .isEqualTo("taskpool: stdin line 1 is not one JSON value: 1 2 3");
    }
  }

  @Test
  void mapChunksItsInputAsPythonsPoolMapDoesAndShowsProgressOnlyOnStderr(LocalCluster cluster) {
    try (ServedQueue queue = ServedQueue.start(cluster, "cli-chunks")) {
      String inputs =
          LongStream.rangeClosed(1, 3000)
              .mapToObj(Long::toString)
              .collect(Collectors.joining("\n", "", "\n"));

      CliRun result = queue.map(inputs, "--progress");

      assertThat(result.exit).as(result.err).isZero();
      assertThat(result.out.lines())
          .containsExactlyElementsOf(
              LongStream.rangeClosed(1, 3000).mapToObj(n -> Long.toString(n * n)).toList());
      // ceil(3000 / (4 x partitions)) inputs per record: 4 records per partition
      try (TopicAdmin topics = new TopicAdmin(cluster.kafkaSettings())) {
        String topic = queue.namespace + ".tasks.default";
        assertThat(topics.endOffsetTotal(topic))
            .isEqualTo(4L * topics.partitionCount(topic).orElseThrow());
      }
      assertThat(result.err).contains("3,000 done in ").doesNotContain("taskpool:");
    }
  }

  @Test
  void mapStopsAtTheFirstFailedTaskNamingItsLine(LocalCluster cluster) {
    try (ServedQueue queue = ServedQueue.start(cluster, "cli-stop")) {
      // 3037000500 squared does not fit a long: the example task throws
      CliRun result = queue.map("1\n2\n3037000500\n4\n", "--chunk-size", "1");

      assertThat(result.exit).isEqualTo(1);
      assertThat(result.out.lines()).containsExactly("1", "4");
      assertThat(result.err.strip())
          .isEqualTo(
              "taskpool: line 3 failed: ArithmeticException: long overflow (--on-error continue"
                  + " goes on past it)");
    }
  }

  @Test
  void mapOnErrorContinueNamesEachFailedLineAndPrintsEveryOtherResult(LocalCluster cluster) {
    try (ServedQueue queue = ServedQueue.start(cluster, "cli-continue")) {
      CliRun alone =
          queue.map(
              "1\n3037000500\n{oops\n1 2 3\n5\n", "--chunk-size", "1", "--on-error", "continue");

      assertThat(alone.exit).isEqualTo(1);
      assertThat(alone.out.lines()).containsExactly("1", "25");
      assertThat(alone.err.lines())
          .containsExactlyInAnyOrder(
              "taskpool: stdin line 3 is not one JSON value: {oops",
              "taskpool: stdin line 4 is not one JSON value: 1 2 3",
              "taskpool: line 2 failed: ArithmeticException: long overflow",
              "taskpool: 3 of 5 inputs failed");

      // A chunk fails as a whole: the message names all its lines
      CliRun chunked =
          queue.map("1\n2\n\n3037000500\n4\n5\n", "--chunk-size", "2", "--on-error", "CONTINUE");
      assertThat(chunked.exit).isEqualTo(1);
      assertThat(chunked.out.lines()).containsExactly("1", "4", "25");
      assertThat(chunked.err.lines())
          .containsExactly(
              "taskpool: lines 4-5 failed: ArithmeticException: long overflow",
              "taskpool: 2 of 5 inputs failed");
    }
  }

  @Test
  void statusShowsTheCoordinatorAndThePlainWorkersOfTheQueuesGroup(LocalCluster cluster)
      throws Exception {
    String ns = LocalCluster.uniqueNamespace("cli-status");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-cli")
            .statusPort(0)
            .namespace(ns)
            .workers(0, 1)
            .pollInterval(Duration.ofMillis(500))
            .build();
    try (ServedQueue queue = ServedQueue.inNamespace(cluster, ns);
        Coordinator coordinator =
            new Coordinator(options, Files.createTempDirectory("cli-status")).start()) {
      String[] status = {"status", "--coordinator", "http://localhost:" + coordinator.statusPort()};
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> run(null, status).out.contains("not a coordinator's"));

      CliRun result = run(null, status);

      assertThat(result.exit).as(result.err).isZero();
      assertThat(result.out.lines().findFirst().orElseThrow())
          .startsWith("host host-cli  queue " + ns + "/default  leader host-cli");
      assertThat(result.out)
          .containsPattern(
              "taskpool-worker-\\S+ +- +- +- +running, not a coordinator's \\(12 partitions\\)");
    }
  }

  @Test
  void aWrongOnErrorValueIsAOneLineError() {
    CliRun result = run("1\n", "map", "square", "--on-error", "skip");

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .contains("--on-error takes stop or continue, not 'skip'");
  }

  @Test
  void dlqListShowsDeadLettersWithTheirErrorAndReplayPutsEachBackOnce(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("cli-dlq");
    try (Worker worker =
            new Worker(
                WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();
      // Given a task whose input can never be a square's Long
      client.put("square", "not a number").join();
      String[] list = {
        "dlq", "list", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns
      };
      String[] replay = {
        "dlq", "replay", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns
      };
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 1);

      // Then list shows it with its error, and replay submits it again (and it fails again)
      assertThat(run(null, list).out)
          .contains("\"taskpool.task\":\"square\"")
          .contains("malformed payload");
      assertThat(run(null, replay).out.strip())
          .isEqualTo("replayed 1 task(s) to " + ns + ".tasks.default");
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 2);

      // A second replay takes only the new dead letter: each is replayed once
      assertThat(run(null, replay).out.strip())
          .isEqualTo("replayed 1 task(s) to " + ns + ".tasks.default");
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 3);
      assertThat(run(null, list).out.lines()).hasSize(3);

      // Named by offset, one is replayed again on request
      List<String> named = new ArrayList<>(List.of(replay));
      named.addAll(List.of("--offset", "0"));
      assertThat(run(null, named.toArray(String[]::new)).out.strip())
          .isEqualTo("replayed 1 task(s) to " + ns + ".tasks.default");
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 4);
    }
  }

  @Test
  void aReplyToATopicThatDoesNotExistIsCountedAndDeadLetteredAndTheNextFailsAtOnce(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("cli-noreply");
    try (Worker worker =
            new Worker(
                WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                cluster.kafkaSettings().clientConfig(Map.of()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();
      String missing = ns + ".nobody.listens";
      String[] list = {
        "dlq", "list", "--bootstrap-servers", cluster.kafkaBootstrap(), "--namespace", ns
      };

      // When a raw client asks for replies on a topic nobody created (the brokers create none)
      producer.send(rawTask(ns, "job-1", missing, "12"));
      producer.flush();

      // Then the reply is dead-lettered, naming the missing topic, and counted
      await().atMost(Duration.ofSeconds(30)).until(() -> run(null, list).out.lines().count() == 1);
      String line = run(null, list).out.strip();
      assertThat(line)
          .contains("\"taskpool.dead-letter\":\"reply\"")
          .contains("\"taskpool.id\":\"job-1\"")
          .contains("\"taskpool.status\":\"ok\"")
          .contains("\"taskpool.reply-to\":\"" + missing + "\"")
          .contains("topic " + missing + " does not exist")
          .contains("\"value\":\"144\"");
      assertThat(undeliverable(worker)).isEqualTo(1.0);

      // And the next reply to it fails at once instead of waiting out the producer's metadata
      // timeout
      producer.send(rawTask(ns, "job-2", missing, "3"));
      producer.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> undeliverable(worker) == 2.0);

      // Replay skips them: they are not tasks
      CliRun replay =
          run(
              null,
              "dlq",
              "replay",
              "--bootstrap-servers",
              cluster.kafkaBootstrap(),
              "--namespace",
              ns);
      assertThat(replay.out.strip())
          .isEqualTo(
              "replayed 0 task(s) to "
                  + ns
                  + ".tasks.default (skipped 2 undelivered repl(ies) or reference(s), which are not"
                  + " tasks)");
    }
  }

  private static double undeliverable(Worker worker) {
    return worker.metrics().get("taskpool.replies.undeliverable").counter().count();
  }

  private static ProducerRecord<byte[], byte[]> rawTask(
      String ns, String id, String replyTo, String json) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(ns + ".tasks.default", json.getBytes(StandardCharsets.UTF_8));
    record.headers().add("taskpool.task", "square".getBytes(StandardCharsets.UTF_8));
    record.headers().add("taskpool.id", id.getBytes(StandardCharsets.UTF_8));
    record.headers().add("taskpool.reply-to", replyTo.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  private static CliRun run(String stdin, String... args) {
    return CliRun.of(stdin, args);
  }

  /** A namespace of its own with a worker serving its default queue (the examples' tasks). */
  private static final class ServedQueue implements AutoCloseable {
    final String namespace;
    private final LocalCluster cluster;
    private final Worker worker;

    private ServedQueue(LocalCluster cluster, String namespace, Worker worker) {
      this.cluster = cluster;
      this.namespace = namespace;
      this.worker = worker;
    }

    static ServedQueue start(LocalCluster cluster, String prefix) {
      return inNamespace(cluster, LocalCluster.uniqueNamespace(prefix));
    }

    static ServedQueue inNamespace(LocalCluster cluster, String ns) {
      Worker worker =
          new Worker(WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
      worker.handlers().discover(CliIT.class.getClassLoader());
      worker.start();
      return new ServedQueue(cluster, ns, worker);
    }

    /** {@code taskpool map square} over {@code stdin}, with {@code options}. */
    CliRun map(String stdin, String... options) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "map",
                  "square",
                  "--bootstrap-servers",
                  cluster.kafkaBootstrap(),
                  "--namespace",
                  namespace));
      args.addAll(List.of(options));
      return run(stdin, args.toArray(String[]::new));
    }

    @Override
    public void close() {
      worker.close();
    }
  }
}
