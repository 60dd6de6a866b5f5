package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.worker.spi.TaskHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordDeliveryTest {
  @Test
  void kafkaHeadersReachTheSpiInOrderWithRepeatsAndNullValues() {
    RecordHeaders kafka = new RecordHeaders();
    kafka.add("taskpool.task", "square".getBytes(StandardCharsets.UTF_8));
    kafka.add("taskpool.prior-attempts", "1".getBytes(StandardCharsets.UTF_8));
    kafka.add("taskpool.id", null);
    kafka.add("taskpool.prior-attempts", "2".getBytes(StandardCharsets.UTF_8));

    TaskHeaders headers = RecordDelivery.headersOf(kafka);

    assertThat(headers)
        .extracting(TaskHeaders.Header::key)
        .containsExactly(
            "taskpool.task", "taskpool.prior-attempts", "taskpool.id", "taskpool.prior-attempts");
    assertThat(headers.lastValue("taskpool.prior-attempts")).isEqualTo("2");
    assertThat(headers.lastValue("taskpool.id")).isNull();
  }
}
