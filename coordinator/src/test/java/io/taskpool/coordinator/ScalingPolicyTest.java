package io.taskpool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final ScalingPolicy policy = new ScalingPolicy(1_000, Duration.ofSeconds(30));

  @Test
  void aBacklogAsksForOneWorkerPerTargetLagUpToMax() {
    assertThat(policy.desired(2_500, 1, 1, 4, T0)).isEqualTo(3);
    assertThat(policy.desired(50_000, 3, 1, 4, T0)).isEqualTo(4);
  }

  @Test
  void theMaxWinsOverTheMin() {
    assertThat(policy.desired(0, 1, 4, 2, T0)).isEqualTo(2);
  }

  @Test
  void growthIsImmediateButShrinkingWaitsForTheCooldown() {
    assertThat(policy.desired(0, 4, 1, 4, T0)).isEqualTo(4);
    assertThat(policy.desired(0, 4, 1, 4, T0.plusSeconds(29))).isEqualTo(4);
    assertThat(policy.desired(0, 4, 1, 4, T0.plusSeconds(30))).isEqualTo(1);
  }

  @Test
  void aPoolOverItsCeilingShrinksToItAtOnceWithoutTheCooldown() {
    // A host came back with its old quota (3) while the other had taken the whole pool (4 of a
    // 4-partition topic)
    assertThat(policy.desired(8_000, 7, 2, 4, T0)).isEqualTo(4);
  }

  @Test
  void aBacklogReturningDuringTheCooldownResetsIt() {
    policy.desired(0, 4, 1, 4, T0);
    assertThat(policy.desired(5_000, 4, 1, 4, T0.plusSeconds(20))).isEqualTo(4);
    assertThat(policy.desired(0, 4, 1, 4, T0.plusSeconds(35))).isEqualTo(4);
  }

  @Test
  void withMinZeroAnEmptyQueueScalesToZeroAndTheFirstRecordWakesOne() {
    ScalingPolicy toZero = new ScalingPolicy(1_000, Duration.ZERO);
    assertThat(toZero.desired(0, 1, 0, 4, T0)).isZero();
    assertThat(toZero.desired(1, 0, 0, 4, T0)).isEqualTo(1);
  }
}
