package io.taskpool.coordinator;

/**
 * One supervised worker process as the status page shows it; {@code state} is {@code joining}
 * (started, not yet a member of the queue's group), {@code running}, {@code draining} or {@code
 * exited}.
 */
public record WorkerStatus(String id, long pid, long uptimeSeconds, long tasksDone, String state) {
  /** This worker's status in {@code state}. */
  public WorkerStatus withState(String state) {
    return new WorkerStatus(id, pid, uptimeSeconds, tasksDone, state);
  }
}
