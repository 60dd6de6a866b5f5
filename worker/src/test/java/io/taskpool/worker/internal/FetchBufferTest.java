package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FetchBufferTest {
  private final FetchBuffer<String, String> buffer = new FetchBuffer<>();

  @Test
  void partitionsTakeTurnsAndEachKeepsItsOrder() {
    buffer.add("p0", "a1");
    buffer.add("p0", "a2");
    buffer.add("p0", "a3");
    buffer.add("p1", "b1");

    List<String> out = new ArrayList<>();
    for (String r; (r = buffer.poll()) != null; ) {
      out.add(r);
    }

    assertThat(out).containsExactly("a1", "b1", "a2", "a3");
    assertThat(buffer.isEmpty()).isTrue();
  }

  @Test
  void aRevokedPartitionsRecordsAreDroppedAndTheOthersStay() {
    buffer.add("p0", "a1");
    buffer.add("p1", "b1");
    buffer.add("p1", "b2");

    assertThat(buffer.drop(List.of("p1"))).isEqualTo(2);

    assertThat(buffer.holding()).isEqualTo(Set.of("p0"));
    assertThat(buffer.poll()).isEqualTo("a1");
    assertThat(buffer.poll()).isNull();
    assertThat(buffer.size()).isZero();
  }
}
