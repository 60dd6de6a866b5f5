package io.taskpool.coordinator;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the pool's desired size between the live hosts: first each host's minimum (in host-id
 * order, while the total lasts), then one worker at a time to the host with the fewest, never past
 * a host's maximum. Deterministic, so every leader computes the same plan from the same hosts.
 * Pure.
 */
public final class QuotaPlanner {
  private QuotaPlanner() {}

  /** Host id → workers to run; the sum is {@code min(desired, sum of maxima)}. */
  public static Map<String, Integer> plan(int desired, List<HostStatus> hosts) {
    List<HostStatus> ordered =
        hosts.stream().sorted(Comparator.comparing(HostStatus::host)).toList();
    Map<String, Integer> quotas = new LinkedHashMap<>();
    int left = desired;
    for (HostStatus host : ordered) {
      int share = Math.max(0, Math.min(Math.min(host.minWorkers(), host.maxWorkers()), left));
      quotas.put(host.host(), share);
      left -= share;
    }
    while (left > 0) {
      HostStatus emptiest = null;
      for (HostStatus host : ordered) {
        if (quotas.get(host.host()) < host.maxWorkers()
            && (emptiest == null || quotas.get(host.host()) < quotas.get(emptiest.host()))) {
          emptiest = host;
        }
      }
      if (emptiest == null) {
        break;
      }
      quotas.merge(emptiest.host(), 1, Integer::sum);
      left--;
    }
    return quotas;
  }
}
