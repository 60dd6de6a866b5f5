package io.taskpool.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.TaskTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResultWindowTest {
  private static final long NO_DEADLINE = Long.MAX_VALUE;

  @Test
  void orderedWindowHandsResultsOverInInputOrderWhateverOrderTheyArrive() throws Exception {
    ResultWindow<String> window = ResultWindow.ordered(10);
    long a = window.reserve(2);
    long b = window.reserve(1);
    window.finishInput();

    window.complete(b, List.of("c"));
    window.complete(a, List.of("a", "b"));

    assertThat(drain(window)).containsExactly("a", "b", "c");
  }

  @Test
  void arrivalOrderWindowHandsResultsOverAsTheyArrive() throws Exception {
    ResultWindow<String> window = ResultWindow.arrivalOrder(10);
    long a = window.reserve(1);
    long b = window.reserve(1);
    window.finishInput();

    window.complete(b, List.of("second-sent"));
    window.complete(a, List.of("first-sent"));

    assertThat(drain(window)).containsExactly("second-sent", "first-sent");
  }

  @Test
  void reservingBlocksWhileTheWindowIsFullAndResumesOnceTheReaderMovesPastAChunk()
      throws Exception {
    ResultWindow<Integer> window = ResultWindow.ordered(2);
    long first = window.reserve(1);
    long second = window.reserve(1);
    CompletableFuture<Long> blocked =
        CompletableFuture.supplyAsync(() -> reserveQuietly(window, 1));

    assertThat(blocked)
        .failsWithin(200, TimeUnit.MILLISECONDS)
        .withThrowableThat()
        .isInstanceOf(java.util.concurrent.TimeoutException.class);

    window.complete(first, List.of(1));
    window.complete(second, List.of(2));
    assertThat(window.awaitNext(NO_DEADLINE)).isTrue();
    assertThat(window.take()).isEqualTo(1);
    assertThat(window.awaitNext(NO_DEADLINE)).isTrue();

    assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(2L);
  }

  @Test
  void outOfOrderArrivalsStillCountAgainstTheWindow() throws Exception {
    // Memory stays bounded: results held back for order occupy the window until read.
    ResultWindow<Integer> window = ResultWindow.ordered(3);
    window.reserve(1);
    long second = window.reserve(1);
    long third = window.reserve(1);
    window.complete(second, List.of(2));
    window.complete(third, List.of(3));

    assertThat(window.outstanding()).isEqualTo(3);
  }

  @Test
  void aChunkLargerThanTheWindowGoesThroughAlone() throws Exception {
    ResultWindow<Integer> window = ResultWindow.ordered(2);

    assertThat(window.reserve(5)).isZero();
  }

  @Test
  void aFailedChunkThrowsOnceAndIsSkipped() throws Exception {
    ResultWindow<Integer> window = ResultWindow.ordered(10);
    long bad = window.reserve(2);
    long good = window.reserve(1);
    window.finishInput();
    window.fail(bad, 2, new IllegalStateException("boom"));
    window.complete(good, List.of(9));

    assertThat(window.awaitNext(NO_DEADLINE)).isTrue();
    assertThatThrownBy(window::take).hasMessage("boom");
    assertThat(drain(window)).containsExactly(9);
  }

  @Test
  void waitingPastTheDeadlineIsATimeout() throws Exception {
    ResultWindow<Integer> window = ResultWindow.ordered(10);
    window.reserve(1);

    assertThatThrownBy(
            () -> window.awaitNext(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)))
        .isInstanceOf(TaskTimeoutException.class)
        .hasMessageContaining("1 results still outstanding");
  }

  @Test
  void abortReachesBothReaderAndSender() throws Exception {
    ResultWindow<Integer> window = ResultWindow.ordered(1);
    window.reserve(1);
    window.abort(new IllegalStateException("closed"));

    assertThatThrownBy(() -> window.awaitNext(NO_DEADLINE)).hasMessage("closed");
    assertThatThrownBy(() -> window.reserve(1)).hasMessage("closed");
  }

  @Test
  void anEmptyFinishedInputEndsAtOnce() {
    ResultWindow<Integer> window = ResultWindow.ordered(1);
    window.finishInput();

    assertThat(window.awaitNext(NO_DEADLINE)).isFalse();
  }

  private static <T> List<T> drain(ResultWindow<T> window) {
    List<T> out = new ArrayList<>();
    while (window.awaitNext(NO_DEADLINE)) {
      out.add(window.take());
    }
    return out;
  }

  private static long reserveQuietly(ResultWindow<Integer> window, int count) {
    try {
      return window.reserve(count);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
