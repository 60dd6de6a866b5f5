package io.taskpool.core.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The sentinel of Python's {@code q.put(None)}, made explicit: a JSON record on the control topic
 * ({@code <ns>.control}) that tells workers to stop.
 *
 * @param command {@code "stop"}
 * @param worker id of the worker to stop, or {@code "*"} for every worker of the namespace
 * @param queue only workers of this queue, or {@code null} for every queue
 * @param when {@code "now"}: drain in-flight tasks and exit; {@code "idle"}: exit once the worker
 *     finds its partitions empty (what the Python sentinel at the end of a queue means)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlMessage(String command, String worker, String queue, String when) {
  public static final String STOP = "stop";
  public static final String ALL_WORKERS = "*";
  public static final String NOW = "now";
  public static final String WHEN_IDLE = "idle";

  public static ControlMessage stopAll() {
    return new ControlMessage(STOP, ALL_WORKERS, null, NOW);
  }

  public static ControlMessage stopWorker(String workerId) {
    return new ControlMessage(STOP, workerId, null, NOW);
  }

  /** True when this message addresses the given worker of the given queue. */
  public boolean addresses(String workerId, String workerQueue) {
    boolean workerMatches = worker == null || ALL_WORKERS.equals(worker) || worker.equals(workerId);
    boolean queueMatches = queue == null || queue.equals(workerQueue);
    return STOP.equals(command) && workerMatches && queueMatches;
  }

  public boolean waitForIdle() {
    return WHEN_IDLE.equals(when);
  }
}
