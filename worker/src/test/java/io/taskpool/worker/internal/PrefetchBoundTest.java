package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrefetchBoundTest {
  private static final long REFILL = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void beforeAnyTaskFinishedAWorkerTakesOneTaskPerThread() {
    assertThat(PrefetchBound.limit(2, Double.NaN, REFILL, 2_000)).isEqualTo(2);
  }

  @Test
  void slowTasksStayInKafka() {
    // 100 ms tasks on 2 threads: one queued per thread covers a 50 ms refill.
    assertThat(PrefetchBound.limit(2, 100 * MS, REFILL, 2_000)).isEqualTo(3);
  }

  @Test
  void oneMillisecondTasksKeepEnoughQueuedForARefill() {
    assertThat(PrefetchBound.limit(2, 1 * MS, REFILL, 2_000)).isEqualTo(102);
  }

  @Test
  void tinyTasksStreamUpToTheCap() {
    assertThat(PrefetchBound.limit(2, 1_000, REFILL, 2_000)).isEqualTo(2_000);
    assertThat(PrefetchBound.limit(2, 0, REFILL, 2_000)).isEqualTo(2_000);
  }

  @Test
  void theBoundFollowsTheObservedTaskTime() {
    PrefetchBound bound = new PrefetchBound(4, 500, Duration.ofMillis(50));

    bound.taskFinished(200 * MS);
    assertThat(bound.unstartedLimit()).isEqualTo(5);

    for (int i = 0; i < 200; i++) {
      bound.taskFinished(10_000);
    }
    assertThat(bound.unstartedLimit()).isEqualTo(500);
  }
}
