package io.taskpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.TaskpoolException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The worker's lifecycle guards, as far as they show without a broker (the rest: WorkerIT and
 * friends).
 */
class WorkerTest {
  @Test
  void aWorkerStoppedBeforeItStartedNeverStarts() {
    Worker worker = aWorker("localhost:9092");

    worker.stop(false);

    assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
    assertThatThrownBy(worker::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("worker w1 is stopped: a worker starts once");
  }

  @Test
  void closeIsIdempotentAndAClosedWorkerDoesNotStart() throws InterruptedException {
    Worker worker = aWorker("localhost:9092");

    worker.close();
    long start = System.nanoTime();
    worker.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(worker.awaitTermination(Duration.ZERO)).isTrue();
    assertThatThrownBy(worker::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a worker starts once");
  }

  @Test
  void aStartThatFailsLeavesTheWorkerStoppedSoCloseReturnsAtOnce() throws InterruptedException {
    // Nothing listens on port 1: the topic check fails after the admin client's short timeout.
    Worker worker = aWorker("localhost:1");

    assertThatThrownBy(worker::start).isInstanceOf(TaskpoolException.class);

    assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
    assertThat(worker.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(worker.metricsPort()).isEqualTo(-1);
    assertThatThrownBy(worker::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("worker w1 is stopped: a worker starts once");
    worker.close();
  }

  private static Worker aWorker(String bootstrapServers) {
    KafkaSettings kafka =
        KafkaSettings.of(bootstrapServers)
            .with("default.api.timeout.ms", "500")
            .with("request.timeout.ms", "400");
    Worker worker = new Worker(WorkerOptions.builder().kafka(kafka).workerId("w1").build());
    return worker.register("square", Long.class, n -> n * n);
  }
}
