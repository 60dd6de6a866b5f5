package io.taskpool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaPlannerTest {

  @Test
  void spreadsTheDesiredSizeEvenlyAfterEachHostsMinimum() {
    assertThat(QuotaPlanner.plan(5, List.of(host("b", 1, 4), host("a", 1, 4))))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 3, "b", 2));
  }

  @Test
  void neverGivesAHostMoreThanItsMaximum() {
    assertThat(QuotaPlanner.plan(6, List.of(host("a", 0, 1), host("b", 0, 4))))
        .isEqualTo(Map.of("a", 1, "b", 4));
  }

  @Test
  void whenTheTotalIsBelowTheMinimaTheFirstHostsGetTheirsFirst() {
    assertThat(QuotaPlanner.plan(1, List.of(host("b", 1, 2), host("a", 1, 2))))
        .isEqualTo(Map.of("a", 1, "b", 0));
  }

  @Test
  void aLoneSurvivorGetsTheWholePoolUpToItsMaximum() {
    assertThat(QuotaPlanner.plan(4, List.of(host("a", 1, 3)))).isEqualTo(Map.of("a", 3));
  }

  private static HostStatus host(String id, int min, int max) {
    return new HostStatus(id, min, max, 0, List.of(), "", 0);
  }
}
