package io.taskpool.it;

import static io.taskpool.it.RawKafka.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.Namespace;
import io.taskpool.core.TaskFailedException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Worker-side time limits, and tasks that fail in ways the middleware cannot catch: each ends in a
 * final outcome (a result, a dead letter, a re-run), its caller hears of it, and the tasks behind
 * it on the same partition run once.
 */
@ExtendWith(LocalClusterExtension.class)
class TimeLimitsAndNothingStrandedIT {
  private static final String KEY = "same-partition";

  @Test
  void aHandlerPastItsSoftLimitFailsWithTaskTimeoutExceptionAndTheTasksBehindItComplete(
      LocalCluster cluster) {
    softLimit(cluster, "partitioned");
  }

  @Test
  void inSharedModeTooAHandlerPastItsSoftLimitFailsAndTheOtherTasksComplete(LocalCluster cluster) {
    softLimit(cluster, "shared");
  }

  private static void softLimit(LocalCluster cluster, String mode) {
    String ns = LocalCluster.uniqueNamespace("soft-" + mode);
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns);
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      fleet.start(
          "w1",
          Map.of(
              "concurrency",
              "1",
              "soft.time.limit.ms",
              "500",
              "retry.max.attempts",
              "2",
              "retry.backoff.ms",
              "100",
              "queue.mode",
              mode));
      if (mode.equals("shared")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.shareMembers() == 1);
      } else {
        fleet.awaitActiveMembers(1);
      }

      // When a 30 s task and ten quick ones follow each other on one partition
      CompletableFuture<Integer> slow =
          client.submit(
              "counted", new Counted(cluster.redisUrl(), ns, 0, 30_000), KEY, Integer.class);
      List<CompletableFuture<Integer>> quick =
          IntStream.range(1, 11)
              .mapToObj(
                  i ->
                      client.submit(
                          "counted",
                          new Counted(cluster.redisUrl(), ns, i, 10),
                          KEY,
                          Integer.class))
              .toList();

      // Then the slow one fails with the worker's TaskTimeoutException after its two attempts
      assertThat(failure(slow))
          .satisfies(
              e -> {
                assertThat(e.errorType()).isEqualTo("io.taskpool.core.TaskTimeoutException");
                assertThat(e.errorMessage()).contains("soft time limit of 500 ms");
              });
      assertThat(runs.runsOf(0)).isEqualTo(2);

      // And the tasks behind it complete, once each, and the partition's lag reaches 0
      assertThat(quick.stream().map(CompletableFuture::join).toList())
          .containsExactlyElementsOf(IntStream.range(1, 11).boxed().toList());
      IntStream.range(1, 11).forEach(i -> assertThat(runs.runsOf(i)).isEqualTo(1));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> mode.equals("shared") ? probe.shareBacklog() == 0 : probe.lag() == 0);
    }
  }

  @Test
  void
      aHandlerIgnoringInterruptsPastItsHardLimitGetsItsWorkerReplacedAndIsDeadLetteredAfterItsAttempts(
          LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("hard");
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "host-h")
            .statusPort(0)
            .namespace(ns)
            .workers(1, 1)
            .pollInterval(Duration.ofMillis(500))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(
                Map.of(
                    "concurrency",
                    "2",
                    "soft.time.limit.ms",
                    "500",
                    "time.limit.ms",
                    "1000",
                    "retry.max.attempts",
                    "2",
                    "retry.backoff.ms",
                    "50"))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client = client(cluster, ns);
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      // When a task that ignores interrupts for a minute is submitted among quick ones
      CompletableFuture<Integer> stubborn =
          client.submit(
              "counted-stubborn", new Counted(cluster.redisUrl(), ns, 0, 60_000), Integer.class);
      List<CompletableFuture<Integer>> quick =
          IntStream.range(1, 21)
              .mapToObj(
                  i ->
                      client.submit(
                          "counted", new Counted(cluster.redisUrl(), ns, i, 10), Integer.class))
              .toList();

      // Then it fails with TaskTimeoutException naming the hard limit, after two attempts
      assertThat(failure(stubborn))
          .satisfies(
              e -> {
                assertThat(e.errorType()).isEqualTo("io.taskpool.core.TaskTimeoutException");
                assertThat(e.errorMessage())
                    .contains("hard time limit of 1000 ms")
                    .contains("attempt 2 of 2");
              });
      assertThat(runs.runsOf(0)).isEqualTo(2);

      // And each attempt cost its worker, which the coordinator replaced
      await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.status().restarts() == 2);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  coordinator.status().workers().stream()
                      .anyMatch(w -> w.state().equals("running")));

      // And the dead letter says what happened, and every quick task completed
      ConsumerRecord<byte[], byte[]> dead =
          RawKafka.read(
                  cluster, Namespace.of(ns).deadLetterTopic("default"), 1, Duration.ofSeconds(30))
              .get(0);
      assertThat(header(dead, "taskpool.error.type"))
          .isEqualTo("io.taskpool.core.TaskTimeoutException");
      assertThat(header(dead, "taskpool.attempts")).isEqualTo("2");
      assertThat(quick.stream().map(CompletableFuture::join).toList())
          .containsExactlyElementsOf(IntStream.range(1, 21).boxed().toList());
      await().atMost(Duration.ofSeconds(30)).until(() -> probe.lag() == 0);
    }
  }

  @Test
  void aHandlerThrowingAnErrorIsDeadLetteredAndTheRecordsAfterItAreProcessed(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("error");
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns);
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      JvmProcess worker = fleet.start("w1", Map.of("concurrency", "2"));
      fleet.awaitActiveMembers(1);

      CompletableFuture<Integer> broken = client.submit("assert-fails", 7, KEY, Integer.class);
      List<CompletableFuture<Integer>> after =
          IntStream.range(0, 20)
              .mapToObj(
                  i ->
                      client.submit(
                          "counted", new Counted(cluster.redisUrl(), ns, i, 5), KEY, Integer.class))
              .toList();

      assertThat(failure(broken).errorType()).isEqualTo("java.lang.AssertionError");
      assertThat(after.stream().map(CompletableFuture::join).toList())
          .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
      assertThat(runs.duplicates(20)).isZero();
      ConsumerRecord<byte[], byte[]> dead =
          RawKafka.read(
                  cluster, Namespace.of(ns).deadLetterTopic("default"), 1, Duration.ofSeconds(30))
              .get(0);
      assertThat(header(dead, "taskpool.error.message")).isEqualTo("handler bug on 7");
      await().atMost(Duration.ofSeconds(30)).until(() -> probe.lag() == 0);
      assertThat(worker.isAlive()).isTrue();
    }
  }

  @Test
  void aFailingTaskJustUnderTheRecordLimitIsDeadLetteredWithATrimmedTraceAndItsCallerHearsOfIt(
      LocalCluster cluster) {
    // 1,046,000 characters: the case seen in the field, whose full dead letter was 1,049,466 bytes.
    ConsumerRecord<byte[], byte[]> dead = failBig(cluster, 1_046_000);

    assertThat(header(dead, "taskpool.dead-letter")).isNull();
    assertThat(dead.value()).hasSize(1_046_002);
    assertThat(header(dead, "taskpool.error.stacktrace"))
        .contains("IllegalArgumentException")
        .hasSizeLessThan(2_100);
  }

  @Test
  void aFailingTaskTooLargeToCopyIsDeadLetteredAsAReference(LocalCluster cluster) {
    ConsumerRecord<byte[], byte[]> dead = failBig(cluster, 1_048_000);

    assertThat(header(dead, "taskpool.dead-letter")).isEqualTo("reference");
    assertThat(new String(dead.value()))
        .contains("\"size\":1048002")
        .contains("\"offset\":0")
        .contains("cannot handle 1048000 characters");
  }

  /**
   * Fails a task of {@code chars} characters, checks its caller and its partition; returns its dead
   * letter.
   */
  private static ConsumerRecord<byte[], byte[]> failBig(LocalCluster cluster, int chars) {
    String ns = LocalCluster.uniqueNamespace("big");
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client = client(cluster, ns);
        GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      fleet.start("w1", Map.of("concurrency", "2", "retry.max.attempts", "1"));
      fleet.awaitActiveMembers(1);

      // When a task just under the record limit fails, then a task follows it on the same partition
      CompletableFuture<Integer> failing =
          client.submit("big-fails", "x".repeat(chars), KEY, Integer.class);
      CompletableFuture<Integer> next =
          client.submit("counted", new Counted(cluster.redisUrl(), ns, 0, 5), KEY, Integer.class);

      // Then its caller gets the error, the next task runs once, the partition's lag reaches 0
      assertThat(failure(failing))
          .satisfies(
              e -> {
                assertThat(e.errorType()).isEqualTo("java.lang.IllegalArgumentException");
                assertThat(e.errorMessage()).isEqualTo("cannot handle " + chars + " characters");
              });
      assertThat(next.join()).isZero();
      assertThat(runs.runsOf(0)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> probe.lag() == 0);

      // And the dead-letter topic has it, with its error
      ConsumerRecord<byte[], byte[]> dead =
          RawKafka.read(
                  cluster, Namespace.of(ns).deadLetterTopic("default"), 1, Duration.ofSeconds(30))
              .get(0);
      assertThat(header(dead, "taskpool.error.type"))
          .isEqualTo("java.lang.IllegalArgumentException");
      return dead;
    }
  }

  private static TaskClient client(LocalCluster cluster, String ns) {
    return TaskClient.connect(
        ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
  }

  private static TaskFailedException failure(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TaskFailedException failed) {
        return failed;
      }
      throw new AssertionError("expected a TaskFailedException, got " + e.getCause(), e);
    }
    throw new AssertionError("expected the task to fail, it succeeded");
  }
}
