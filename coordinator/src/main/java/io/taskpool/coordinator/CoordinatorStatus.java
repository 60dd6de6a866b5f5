package io.taskpool.coordinator;

import java.util.List;
import java.util.Map;

/**
 * What one coordinator knows, as {@code /status} serves it: its host, quota and workers, every live
 * host of the queue (with their workers) and the leader, the queue's lag per partition, throughput,
 * restarts, dead letters, and the recent history for the page's chart; per task name the counts of
 * this host's workers, the last dead letters with their error, every member of the queue's group
 * (workers no coordinator runs included) and this host's recent worker exits.
 */
public record CoordinatorStatus(
    String host,
    String namespace,
    String queue,
    String leader,
    int desiredWorkers,
    List<WorkerStatus> workers,
    List<HostStatus> hosts,
    Map<Integer, Long> lagByPartition,
    long lag,
    double tasksPerSecond,
    long restarts,
    long deadLetters,
    List<Sample> history,
    long atEpochMillis,
    List<TaskStats> tasks,
    List<DeadLetterSummary> recentDeadLetters,
    List<GroupMember> members,
    List<WorkerExit> exits) {

  /** One point of the lag/throughput chart. */
  public record Sample(long epochMillis, long lag, double tasksPerSecond, int workers) {}
}
