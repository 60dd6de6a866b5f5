package io.taskpool.worker.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskHeadersTest {
  @Test
  void theLastOccurrenceOfARepeatedKeyIsTheOneThatCounts() {
    TaskHeaders headers =
        TaskHeaders.builder()
            .add("taskpool.prior-attempts", "1")
            .add("taskpool.task", "square")
            .add("taskpool.prior-attempts", "2")
            .build();

    assertThat(headers.lastValue("taskpool.prior-attempts")).isEqualTo("2");
    assertThat(headers.lastValue("taskpool.task")).isEqualTo("square");
  }

  @Test
  void anAbsentKeyAndANullValueBothReadAsNull() {
    TaskHeaders headers = TaskHeaders.builder().add("taskpool.id", (byte[]) null).build();

    assertThat(headers.lastValue("taskpool.id")).isNull();
    assertThat(headers.lastBytes("taskpool.id")).isNull();
    assertThat(headers.lastValue("taskpool.reply-to")).isNull();
    assertThat(TaskHeaders.empty().lastValue("taskpool.task")).isNull();
  }

  @Test
  void iterationGivesEveryHeaderInRecordOrderRepeatsIncluded() {
    TaskHeaders headers =
        TaskHeaders.builder()
            .add("a", "1")
            .add("b", "2")
            .add("a", "3")
            .add("c", "4")
            .add("d", "5")
            .build();

    assertThat(headers)
        .extracting(TaskHeaders.Header::key)
        .containsExactly("a", "b", "a", "c", "d");
    assertThat(headers)
        .extracting(TaskHeaders.Header::stringValue)
        .containsExactly("1", "2", "3", "4", "5");
    assertThat(headers.size()).isEqualTo(5);
  }

  @Test
  void neitherTheBuildersInputNorAReadersCopyCanChangeTheHeaders() {
    byte[] buffer = "square".getBytes(StandardCharsets.UTF_8);
    TaskHeaders headers = TaskHeaders.builder().add("taskpool.task", buffer).build();

    buffer[0] = 'X';
    headers.lastBytes("taskpool.task")[1] = 'X';
    headers.iterator().next().value()[2] = 'X';

    assertThat(headers.lastValue("taskpool.task")).isEqualTo("square");
  }
}
