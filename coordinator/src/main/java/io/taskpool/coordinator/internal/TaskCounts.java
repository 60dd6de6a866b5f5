package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.TaskStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per task name counts of this host's workers, read from the pool's Prometheus text, with rates
 * since the previous reading. Called from the coordinator's loop thread only.
 */
public final class TaskCounts {
  private static final Pattern TASK_LABEL = Pattern.compile("[{,]task=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final String[] FAMILIES = {
    "taskpool_tasks_succeeded_total",
    "taskpool_tasks_failed_total",
    "taskpool_tasks_dead_lettered_total",
    "taskpool_tasks_retried_total"
  };

  private Map<String, long[]> previous = Map.of();
  private Instant previousAt;

  public List<TaskStats> read(String poolMetrics, Instant now) {
    Map<String, PoolMetrics.Family> families = PoolMetrics.parse(poolMetrics);
    Map<String, long[]> counts = new TreeMap<>();
    for (int i = 0; i < FAMILIES.length; i++) {
      PoolMetrics.Family family = families.get(FAMILIES[i]);
      if (family == null) {
        continue;
      }
      for (Map.Entry<String, Double> sample : family.samples.entrySet()) {
        Matcher task = TASK_LABEL.matcher(sample.getKey());
        if (task.find()) {
          counts.computeIfAbsent(task.group(1), t -> new long[FAMILIES.length])[i] +=
              Math.round(sample.getValue());
        }
      }
    }
    double seconds = previousAt == null ? 0 : Duration.between(previousAt, now).toMillis() / 1000.0;
    List<TaskStats> stats = new ArrayList<>();
    counts.forEach(
        (task, c) -> {
          long[] before = previous.getOrDefault(task, c);
          stats.add(
              new TaskStats(
                  task,
                  c[0],
                  c[1],
                  c[2],
                  c[3],
                  rate(c[0] - before[0], seconds),
                  rate(c[1] - before[1], seconds)));
        });
    previous = counts;
    previousAt = now;
    return stats;
  }

  private static double rate(long delta, double seconds) {
    return seconds <= 0 ? 0 : Math.max(0, delta) / seconds;
  }
}
