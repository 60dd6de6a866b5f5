package io.taskpool.worker.spi;

/**
 * One task record handed out by a {@link TaskSource}. The worker calls {@link #acknowledge} exactly
 * once, from any thread, after the task's result (or dead letter) was durably written; only then
 * may the source commit it.
 */
public interface Delivery {
  String topic();

  int partition();

  long offset();

  /** The record key, or null. Tasks with equal keys run in order on one thread. */
  byte[] key();

  byte[] value();

  /** The record's headers, among them taskpool's wire headers ({@code taskpool.task}, ...). */
  TaskHeaders headers();

  /** 1 on first delivery; more when the source knows of earlier deliveries (share groups). */
  int deliveryCount();

  /**
   * Called by the worker right before the task starts. False: the delivery was withdrawn (its
   * partition moved to another worker, or the worker drains) and is dropped unrun, without an
   * acknowledgement; its next owner runs it.
   */
  default boolean tryStart() {
    return true;
  }

  void acknowledge(Acknowledgement outcome);
}
