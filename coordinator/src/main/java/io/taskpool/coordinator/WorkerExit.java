package io.taskpool.coordinator;

import java.util.List;

/**
 * A worker process of this host that ended: how ({@code reason}: {@code crashed}, {@code recycled}
 * after its task budget, {@code drained} on scale-down, {@code killed} past the drain timeout), its
 * exit code, its log file and the log's last lines.
 */
public record WorkerExit(
    String id,
    long pid,
    int exitCode,
    String reason,
    long atEpochMillis,
    String log,
    List<String> lastLines) {
  public WorkerExit {
    lastLines = List.copyOf(lastLines);
  }
}
