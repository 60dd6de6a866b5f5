package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.worker.internal.OffsetTracker.CommitPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final OffsetTracker<String> tracker = new OffsetTracker<>();

  private static CommitPoint at(long position, long... finishedAbove) {
    return new CommitPoint(position, finishedAbove);
  }

  @Test
  void whileTheFirstTaskRunsThePositionStaysButWhatFinishedBeyondItIsReported() {
    tracker.delivered("p0", 10);
    tracker.delivered("p0", 11);
    tracker.completed("p0", 11);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(10, 11)));
  }

  @Test
  void nothingIsReportedWhileNothingFinished() {
    tracker.delivered("p0", 10);
    tracker.delivered("p0", 11);

    assertThat(tracker.takeCommittable()).isEmpty();
  }

  @Test
  void theCommitAdvancesOverTheFinishedPrefixAndCarriesTheRest() {
    for (long offset = 0; offset < 5; offset++) {
      tracker.delivered("p0", offset);
    }
    tracker.completed("p0", 0);
    tracker.completed("p0", 1);
    tracker.completed("p0", 3);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(2, 3)));

    tracker.completed("p0", 2);
    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(4)));

    tracker.completed("p0", 4);
    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(5)));
    assertThat(tracker.pending()).isZero();
  }

  @Test
  void gapsInOffsetsDoNotHoldTheCommitBack() {
    // Compacted topics and transaction markers leave holes in the offsets.
    tracker.delivered("p0", 3);
    tracker.delivered("p0", 7);
    tracker.completed("p0", 7);
    tracker.completed("p0", 3);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(8)));
  }

  @Test
  void partitionsAreTrackedIndependently() {
    tracker.delivered("p0", 0);
    tracker.delivered("p1", 0);
    tracker.completed("p1", 0);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p1", at(1)));
  }

  @Test
  void aPositionIsReportedOnceUntilItAdvancesAgain() {
    tracker.delivered("p0", 0);
    tracker.completed("p0", 0);

    assertThat(tracker.takeCommittable()).containsEntry("p0", at(1));
    assertThat(tracker.takeCommittable()).isEmpty();
  }

  @Test
  void aPositionWhoseCommitFailedIsReportedAgain() {
    tracker.delivered("p0", 0);
    tracker.delivered("p0", 1);
    tracker.completed("p0", 0);
    tracker.completed("p0", 1);
    Map<String, CommitPoint> first = tracker.takeCommittable();

    tracker.commitFailed(first);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(2)));
  }

  @Test
  void aFinishedMapWhoseCommitFailedIsReportedAgainThoughThePositionDidNotMove() {
    tracker.delivered("p0", 0);
    tracker.delivered("p0", 1);
    tracker.completed("p0", 1);
    Map<String, CommitPoint> first = tracker.takeCommittable();

    tracker.commitFailed(first);

    assertThat(tracker.takeCommittable()).isEqualTo(Map.of("p0", at(0, 1)));
  }

  @Test
  void theFinalCommitCoversPositionsAlreadyReported() {
    tracker.delivered("p0", 0);
    tracker.completed("p0", 0);
    tracker.takeCommittable();

    assertThat(tracker.allCommittable()).isEqualTo(Map.of("p0", at(1)));
  }

  @Test
  void completionsOfRevokedPartitionsAreIgnored() {
    tracker.delivered("p0", 0);
    tracker.remove(List.of("p0"));
    tracker.completed("p0", 0);

    assertThat(tracker.takeCommittable()).isEmpty();
    assertThat(tracker.pending()).isZero();
  }

  @Test
  void aNewOwnerSkipsWhatTheEarlierOwnerFinishedAndKeepsSayingSoUntilThePositionPassesIt() {
    // Given the earlier owner committed 100 with 101 and 103 finished
    tracker.assigned("p0", 100, new long[] {101, 103});

    // When 100 is delivered and runs, 101 arrives: it is not to run
    assertThat(tracker.delivered("p0", 100)).isFalse();
    assertThat(tracker.delivered("p0", 101)).isTrue();

    // Then until 100 finishes, both finished offsets stay in the commit, 103 not even fetched yet
    assertThat(tracker.allCommittable()).isEqualTo(Map.of("p0", at(100, 101, 103)));
    tracker.completed("p0", 100);
    assertThat(tracker.allCommittable()).isEqualTo(Map.of("p0", at(102, 103)));
    assertThat(tracker.delivered("p0", 102)).isFalse();
    assertThat(tracker.delivered("p0", 103)).isTrue();
    tracker.completed("p0", 102);
    assertThat(tracker.allCommittable()).isEqualTo(Map.of("p0", at(104)));
  }

  @Test
  void aPartitionAssignedAndRevokedUntouchedKeepsItsFinishedMap() {
    tracker.assigned("p0", 7, new long[] {9});

    assertThat(tracker.allCommittable()).isEqualTo(Map.of("p0", at(7, 9)));
  }
}
