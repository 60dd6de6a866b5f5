package io.taskpool.worker.middleware;

import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.Delivery;
import io.taskpool.worker.spi.TaskHeaders;

/** A delivery as plain data: the middleware only reads its delivery count. */
final class PlainDelivery implements Delivery {
  @Override
  public String topic() {
    return "t";
  }

  @Override
  public int partition() {
    return 0;
  }

  @Override
  public long offset() {
    return 0;
  }

  @Override
  public byte[] key() {
    return null;
  }

  @Override
  public byte[] value() {
    return new byte[0];
  }

  @Override
  public TaskHeaders headers() {
    return TaskHeaders.empty();
  }

  @Override
  public int deliveryCount() {
    return 1;
  }

  @Override
  public void acknowledge(Acknowledgement outcome) {}
}
