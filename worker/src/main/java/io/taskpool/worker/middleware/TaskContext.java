package io.taskpool.worker.middleware;

import io.taskpool.worker.spi.Delivery;

/**
 * One task as middleware sees it: its name, id and delivery, and the attempt now running
 * (1-based; a retrying middleware bumps it).
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
    this.attempt = delivery.deliveryCount();
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
