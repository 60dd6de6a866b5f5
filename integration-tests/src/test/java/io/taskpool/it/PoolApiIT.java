package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.TaskFailedException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.producer.TaskStream;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.RetryPolicy;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Pool API against one in-process worker on the real broker. */
@ExtendWith(LocalClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolApiIT {
  private Worker worker;
  private TaskClient client;

  @BeforeAll
  void startWorkerAndClient(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("pool");
    worker =
        new Worker(
            WorkerOptions.builder()
                .kafka(cluster.kafkaSettings())
                .namespace(ns)
                .retry(new RetryPolicy(2, Duration.ofMillis(10), 2.0, Duration.ofMillis(50)))
                .build());
    worker.handlers().discover(getClass().getClassLoader());
    worker.start();
    client =
        TaskClient.connect(
            ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
  }

  @AfterAll
  void stop() {
    client.close();
    worker.close();
  }

  @Test
  void applyAsyncReturnsTheResult() {
    assertThat(client.applyAsync("square", 12, Integer.class).join()).isEqualTo(144);
  }

  @Test
  void mapWithAutomaticChunkingKeepsInputOrder() {
    List<Integer> inputs = IntStream.range(0, 5_000).boxed().toList();
    assertThat(client.map("square", inputs, Integer.class))
        .containsExactlyElementsOf(inputs.stream().map(n -> n * n).toList());
  }

  @Test
  void starmapSpreadsEachArgumentListOverTheHandlersParameters() {
    assertThat(
            client.starmap(
                "add", List.of(List.of(1, 2), List.of(10, 20), List.of(100, 200)), Integer.class))
        .containsExactly(3, 30, 300);
  }

  @Test
  void imapStreamsResultsInInputOrderFromALazyInput() {
    try (TaskStream<Integer> results =
        client.imap(
            "square",
            IntStream.range(0, 1_000).boxed().iterator(),
            Integer.class,
            MapOptions.builder().window(50).build())) {
      List<Integer> seen = new ArrayList<>();
      results.forEachRemaining(seen::add);
      assertThat(seen)
          .containsExactlyElementsOf(IntStream.range(0, 1_000).map(n -> n * n).boxed().toList());
    }
  }

  @Test
  void imapUnorderedDeliversEveryResultOnce() {
    try (TaskStream<Integer> results =
        client.imapUnordered(
            "square",
            IntStream.range(0, 1_000).boxed().iterator(),
            Integer.class,
            MapOptions.chunkSize(7))) {
      List<Integer> seen = new ArrayList<>();
      results.forEachRemaining(seen::add);
      assertThat(seen)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.range(0, 1_000).map(n -> n * n).boxed().toList());
    }
  }

  @Test
  void progressIsReportedUpToTheTotal() {
    List<long[]> progress = new CopyOnWriteArrayList<>();
    client.map(
        "square",
        IntStream.range(0, 100).boxed().toList(),
        Integer.class,
        MapOptions.builder()
            .chunkSize(10)
            .onProgress((done, total) -> progress.add(new long[] {done, total}))
            .build());
    assertThat(progress).hasSize(10);
    assertThat(progress.stream().mapToLong(p -> p[0]).max()).hasValue(100);
    assertThat(progress).allSatisfy(p -> assertThat(p[1]).isEqualTo(100));
  }

  @Test
  void aTaskThatFailsForGoodFailsItsFutureWithTheWorkersErrorTypeAndMessage() {
    assertThatThrownBy(() -> client.submit("boom", 7, Integer.class).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            failed -> {
              assertThat(failed.errorType()).isEqualTo("java.lang.IllegalStateException");
              assertThat(failed.errorMessage()).isEqualTo("boom on 7");
            });
  }

  @Test
  void mapRaisesTheFirstFailure() {
    assertThatThrownBy(() -> client.map("boom", List.of(1, 2, 3), Integer.class))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("boom on");
  }

  @Test
  void aFlakyTaskSucceedsOnRetry() {
    assertThat(client.submit("flaky", 41, Integer.class).join()).isEqualTo(41);
  }

  @Test
  void tasksWithTheSameKeyRunInOrder() {
    List<Integer> order = IntStream.range(0, 200).boxed().toList();
    List<Integer> results =
        order.stream()
            .map(n -> client.submit("square", n, "same-key", Integer.class))
            .toList()
            .stream()
            .map(f -> f.join())
            .toList();
    assertThat(results).containsExactlyElementsOf(order.stream().map(n -> n * n).toList());
  }

  @Test
  void aCallWithATimeoutGivesUpWithATimeoutError() {
    // No worker runs this queue, so nothing ever answers.
    try (TaskClient idle =
        TaskClient.connect(
            client.options().toBuilder().queue("nobody-listens").clientId(null).build())) {
      assertThatThrownBy(
              () ->
                  idle.map(
                      "square",
                      List.of(1, 2),
                      Integer.class,
                      MapOptions.builder().timeout(Duration.ofMillis(500)).build()))
          .isInstanceOf(TaskTimeoutException.class);
    }
  }

  @Test
  void theClientsTimeoutEndsASubmitAndAMapWhoseRepliesNeverCome() {
    // The client's timeout (default 1 hour) bounds every wait that sets no limit of its own.
    try (TaskClient idle =
        TaskClient.connect(
            client.options().toBuilder()
                .queue("nobody-listens")
                .clientId(null)
                .timeout(Duration.ofMillis(700))
                .build())) {
      var future = idle.submit("square", 3, Integer.class);
      assertThatThrownBy(future::join)
          .hasCauseInstanceOf(TaskTimeoutException.class)
          .hasMessageContaining("had no result after PT0.7S");
      assertThatThrownBy(() -> idle.map("square", List.of(1, 2), Integer.class))
          .isInstanceOf(TaskTimeoutException.class)
          .hasMessageStartingWith("no result of square arrived for 0.7 s (");
    }
  }

  @Test
  void closingTheClientFailsTheFuturesStillWaiting() {
    TaskClient idle =
        TaskClient.connect(
            client.options().toBuilder().queue("nobody-listens").clientId(null).build());
    var future = idle.submit("square", 3, Integer.class);

    idle.close();

    assertThatThrownBy(future::join)
        .hasCauseInstanceOf(io.taskpool.core.TaskpoolException.class)
        .hasMessageContaining("closed before the task's reply arrived");
    // A second close does nothing; anything else on a closed client is refused in one line.
    idle.close();
    assertThatThrownBy(() -> idle.submit("square", 3, Integer.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this TaskClient is closed");
    assertThatThrownBy(() -> idle.put("square", 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this TaskClient is closed");
    assertThatThrownBy(() -> idle.map("square", List.of(1), Integer.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this TaskClient is closed");
  }

  @Test
  void aCancelledFutureStopsWaiting() {
    try (TaskClient idle =
        TaskClient.connect(
            client.options().toBuilder().queue("nobody-listens").clientId(null).build())) {
      var future = idle.submit("square", 3, Integer.class);
      assertThat(future.cancel(true)).isTrue();
      assertThat(future).isCancelled();
    }
  }
}
