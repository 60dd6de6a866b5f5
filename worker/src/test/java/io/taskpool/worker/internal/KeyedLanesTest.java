package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger ran = new AtomicInteger();
  private KeyedLanes lanes;

  @AfterEach
  void stopTheLanes() {
    release.countDown();
    lanes.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void aLaneQueuesAtMostItsCapacityBesidesTheTaskRunningAndRefusesTheRest() {
    lanes = new KeyedLanes(2, "test", true, 2);
    byte[] key = "same-key".getBytes(StandardCharsets.UTF_8);
    CountDownLatch running = new CountDownLatch(1);

    assertThat(lanes.execute(key, () -> blockUntilReleased(running))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> running.getCount() == 0);
    assertThat(lanes.execute(key, ran::incrementAndGet)).isTrue();
    assertThat(lanes.execute(key, ran::incrementAndGet)).isTrue();
    assertThat(lanes.execute(key, ran::incrementAndGet)).isFalse();

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 3);
    assertThat(lanes.execute(key, ran::incrementAndGet)).isTrue();
  }

  @Test
  void theUnorderedLaneIsBoundedToo() {
    lanes = new KeyedLanes(1, "test", false, 1);
    CountDownLatch running = new CountDownLatch(1);

    assertThat(lanes.execute(null, () -> blockUntilReleased(running))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> running.getCount() == 0);
    assertThat(lanes.execute(null, ran::incrementAndGet)).isTrue();
    assertThat(lanes.execute(null, ran::incrementAndGet)).isFalse();
  }

  @Test
  void lanesThatWereShutDownRefuseWork() {
    lanes = new KeyedLanes(1, "test", true, 10);

    lanes.shutdown(Duration.ofSeconds(1));

    assertThat(lanes.execute(null, ran::incrementAndGet)).isFalse();
    assertThat(ran).hasValue(0);
  }

  private void blockUntilReleased(CountDownLatch running) {
    running.countDown();
    ran.incrementAndGet();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
