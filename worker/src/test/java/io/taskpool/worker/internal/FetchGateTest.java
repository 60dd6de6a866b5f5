package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FetchGateTest {
  private final FetchGate<String> gate = new FetchGate<>();

  @Test
  void aPartitionWithFetchedRecordsWaitingIsPausedAndResumedOnceTheyAreHandedOut() {
    FetchGate.Plan<String> holding = gate.plan(Set.of("p0", "p1"), Set.of(), Set.of("p0"), false);
    FetchGate.Plan<String> handedOut = gate.plan(Set.of("p0", "p1"), Set.of("p0"), Set.of(), false);

    assertThat(holding.pause()).containsExactly("p0");
    assertThat(holding.resume()).isEmpty();
    assertThat(handedOut.pause()).isEmpty();
    assertThat(handedOut.resume()).containsExactly("p0");
  }

  @Test
  void partitionsAssignedWhileSaturatedStayPausedUntilTheWorkerHasRoom() {
    gate.assigned(List.of("p2", "p3"), true);

    FetchGate.Plan<String> stillSaturated =
        gate.plan(Set.of("p0", "p2", "p3"), Set.of("p2", "p3"), Set.of(), true);
    assertThat(stillSaturated.pause()).isEmpty();
    assertThat(stillSaturated.resume()).isEmpty();
    assertThat(gate.holdingBack()).isTrue();

    FetchGate.Plan<String> room =
        gate.plan(Set.of("p0", "p2", "p3"), Set.of("p2", "p3"), Set.of(), false);
    assertThat(room.resume()).containsExactlyInAnyOrder("p2", "p3");
    assertThat(gate.holdingBack()).isFalse();
  }

  @Test
  void aHeldBackPartitionThatWasNotPausedYetIsPaused() {
    gate.assigned(List.of("p2"), true);

    FetchGate.Plan<String> plan = gate.plan(Set.of("p0", "p2"), Set.of(), Set.of(), true);

    assertThat(plan.pause()).containsExactly("p2");
  }

  @Test
  void partitionsAssignedWithRoomAreFetchedAtOnce() {
    gate.assigned(List.of("p2"), false);

    FetchGate.Plan<String> plan = gate.plan(Set.of("p0", "p2"), Set.of(), Set.of(), true);

    assertThat(plan.pause()).isEmpty();
    assertThat(gate.holdingBack()).isFalse();
  }

  @Test
  void aSaturatedWorkerKeepsFetchingThePartitionsItAlreadyFetched() {
    FetchGate.Plan<String> plan = gate.plan(Set.of("p0", "p1"), Set.of(), Set.of(), true);

    assertThat(plan.pause()).isEmpty();
    assertThat(plan.resume()).isEmpty();
  }

  @Test
  void aRevokedPartitionIsNoLongerHeldBack() {
    gate.assigned(List.of("p2"), true);

    gate.removed(List.of("p2"));

    assertThat(gate.holdingBack()).isFalse();
    assertThat(gate.plan(Set.of("p0"), Set.of(), Set.of(), true).pause()).isEmpty();
  }
}
