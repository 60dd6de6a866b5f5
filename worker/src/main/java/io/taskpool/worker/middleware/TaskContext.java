package io.taskpool.worker.middleware;

import io.taskpool.core.wire.WireHeaders;
import io.taskpool.worker.spi.Delivery;

/**
 * One task as middleware sees it: its name, id and delivery, and the attempt now running (1-based;
 * a retrying middleware bumps it).
 */
public final class TaskContext {
  private final String taskName;
  private final String taskId;
  private final Delivery delivery;
  private int attempt;

  public TaskContext(String taskName, String taskId, Delivery delivery) {
    this.taskName = taskName;
    this.taskId = taskId;
    this.delivery = delivery;
    this.attempt = Math.max(delivery.deliveryCount(), priorAttempts(delivery) + 1);
  }

  // A copy re-queued after a hard time limit says how many attempts came before it.
  private static int priorAttempts(Delivery delivery) {
    String prior = delivery.headers().lastValue(WireHeaders.PRIOR_ATTEMPTS);
    if (prior == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(prior.trim()));
    } catch (NumberFormatException ignored) {
      return 0;
    }
  }

  /** The handler name, or null if the record had none. */
  public String taskName() {
    return taskName;
  }

  /** The task id, or null for a task nobody waits on. */
  public String taskId() {
    return taskId;
  }

  public Delivery delivery() {
    return delivery;
  }

  public int attempt() {
    return attempt;
  }

  public void nextAttempt() {
    attempt++;
  }
}
