package io.taskpool.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private final Instant start = Instant.parse("2026-12-01T12:00:00Z");
  private final Readiness readiness = new Readiness(Duration.ofSeconds(10));

  @Test
  void aCoordinatorIsNotReadyBeforeItsFirstCycle() {
    assertThat(readiness.notReadyBecause(start)).isEqualTo("no cycle has run yet");
  }

  @Test
  void itIsReadyAfterASuccessfulCycleUntilThatGrowsStale() {
    readiness.succeeded(start);

    assertThat(readiness.notReadyBecause(start.plusSeconds(10))).isNull();
    assertThat(readiness.notReadyBecause(start.plusSeconds(11)))
        .startsWith("no successful cycle since");
  }

  @Test
  void aFailedCycleSaysWhyUntilTheNextOneSucceeds() {
    readiness.succeeded(start);
    readiness.failed("Kafka did not answer within 30 s to list offsets");

    assertThat(readiness.notReadyBecause(start.plusSeconds(1)))
        .isEqualTo("Kafka did not answer within 30 s to list offsets");

    readiness.succeeded(start.plusSeconds(2));
    assertThat(readiness.notReadyBecause(start.plusSeconds(3))).isNull();
  }
}
