package io.taskpool.worker.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.Delivery;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MetricsMiddlewareTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MetricsMiddleware metrics = new MetricsMiddleware(registry);

  @Test
  void tasksAreCountedPerNameAndOutcome() throws Exception {
    TaskContext square = new TaskContext("square", "id-1", new PlainDelivery());

    metrics.around(square, () -> 4);
    metrics.around(square, () -> 9);
    assertThatThrownBy(() -> metrics.around(square, () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");

    assertThat(registry.get("taskpool.tasks").tag("task", "square").tag("outcome", "succeeded").timer().count()).isEqualTo(2);
    assertThat(registry.get("taskpool.tasks").tag("task", "square").tag("outcome", "failed").timer().count()).isEqualTo(1);
  }

  /** A delivery as plain data: the middleware only reads its delivery count. */
  private static final class PlainDelivery implements Delivery {
    @Override
    public String topic() {
      return "t";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 0;
    }

    @Override
    public byte[] key() {
      return null;
    }

    @Override
    public byte[] value() {
      return new byte[0];
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public int deliveryCount() {
      return 1;
    }

    @Override
    public void acknowledge(Acknowledgement outcome) {}
  }
}
