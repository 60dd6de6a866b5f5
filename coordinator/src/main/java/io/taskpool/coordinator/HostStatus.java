package io.taskpool.coordinator;

import java.util.List;

/**
 * One coordinator as every coordinator sees it through the registry: its bounds, the quota it runs,
 * its workers and where its status page is.
 */
public record HostStatus(
    String host,
    int minWorkers,
    int maxWorkers,
    int quota,
    List<WorkerStatus> workers,
    String statusUrl,
    long atEpochMillis) {
  public HostStatus {
    workers = List.copyOf(workers);
  }
}
