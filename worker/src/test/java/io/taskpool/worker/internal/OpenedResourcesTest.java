package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenedResourcesTest {
  private final List<String> closed = new ArrayList<>();
  private final OpenedResources opened = new OpenedResources();

  @Test
  void everythingOpenedIsClosedNewestFirst() {
    opened.add(() -> closed.add("producer"));
    opened.add(() -> closed.add("threads"));
    opened.add(() -> closed.add("consumer"));

    opened.closeAfter(new IllegalStateException("the port is taken"));

    assertThat(closed).containsExactly("consumer", "threads", "producer");
  }

  @Test
  void aCloseThatFailsIsAddedToTheFailureAndTheRestStillClose() {
    IllegalStateException failure = new IllegalStateException("the port is taken");
    opened.add(() -> closed.add("producer"));
    opened.add(
        () -> {
          throw new IllegalArgumentException("cannot close");
        });

    opened.closeAfter(failure);

    assertThat(closed).containsExactly("producer");
    assertThat(failure.getSuppressed())
        .singleElement()
        .hasToString("java.lang.IllegalArgumentException: cannot close");
  }

  @Test
  void eachResourceClosesOnceEvenWhenAskedAgain() {
    opened.add(() -> closed.add("producer"));

    opened.closeAfter(new IllegalStateException("first"));
    opened.closeAfter(new IllegalStateException("second"));

    assertThat(closed).containsExactly("producer");
  }
}
