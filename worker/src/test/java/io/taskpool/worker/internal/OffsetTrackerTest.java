package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final OffsetTracker<String> tracker = new OffsetTracker<>();

  @Test
  void nothingIsCommittableWhileTheFirstTaskRuns() {
    tracker.delivered("p0", 10);
    tracker.delivered("p0", 11);
    tracker.completed("p0", 11);

    assertThat(tracker.takeCommittable()).isEmpty();
  }

  @Test
  void theCommitAdvancesOverTheFinishedPrefixOnly() {
    for (long offset = 0; offset < 5; offset++) {
      tracker.delivered("p0", offset);
    }
    tracker.completed("p0", 0);
    tracker.completed("p0", 1);
    tracker.completed("p0", 3);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", 2L));

    tracker.completed("p0", 2);
    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", 4L));

    tracker.completed("p0", 4);
    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", 5L));
    assertThat(tracker.pending()).isZero();
  }

  @Test
  void gapsInOffsetsDoNotHoldTheCommitBack() {
    // Compacted topics and transaction markers leave holes in the offsets.
    tracker.delivered("p0", 3);
    tracker.delivered("p0", 7);
    tracker.completed("p0", 7);
    tracker.completed("p0", 3);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", 8L));
  }

  @Test
  void partitionsAreTrackedIndependently() {
    tracker.delivered("p0", 0);
    tracker.delivered("p1", 0);
    tracker.completed("p1", 0);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p1", 1L));
  }

  @Test
  void aPositionIsReportedOnceUntilItAdvancesAgain() {
    tracker.delivered("p0", 0);
    tracker.completed("p0", 0);

    assertThat(tracker.takeCommittable()).containsEntry("p0", 1L);
    assertThat(tracker.takeCommittable()).isEmpty();
  }

  @Test
  void aPositionWhoseCommitFailedIsReportedAgain() {
    tracker.delivered("p0", 0);
    tracker.delivered("p0", 1);
    tracker.completed("p0", 0);
    tracker.completed("p0", 1);
    Map<String, Long> first = tracker.takeCommittable();

    tracker.commitFailed(first);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", 2L));
  }

  @Test
  void theFinalCommitCoversPositionsAlreadyReported() {
    tracker.delivered("p0", 0);
    tracker.completed("p0", 0);
    tracker.takeCommittable();

    assertThat(tracker.allCommittable()).isEqualTo(Map.of("p0", 1L));
  }

  @Test
  void completionsOfRevokedPartitionsAreIgnored() {
    tracker.delivered("p0", 0);
    tracker.remove(List.of("p0"));
    tracker.completed("p0", 0);

    assertThat(tracker.takeCommittable()).isEmpty();
    assertThat(tracker.pending()).isZero();
  }
}
