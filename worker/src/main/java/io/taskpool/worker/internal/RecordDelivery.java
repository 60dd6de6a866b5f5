package io.taskpool.worker.internal;

import io.taskpool.worker.spi.Delivery;
import io.taskpool.worker.spi.TaskHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** A {@link Delivery} backed by a Kafka record; sources add how it counts and is acknowledged. */
abstract class RecordDelivery implements Delivery {
  protected final ConsumerRecord<byte[], byte[]> record;
  // Read several times per task (name, id, reply address, attempts): converted once.
  private final TaskHeaders headers;

  RecordDelivery(ConsumerRecord<byte[], byte[]> record) {
    this.record = record;
    this.headers = headersOf(record.headers());
  }

  /** The SPI's copy of Kafka record headers, in order, repeated keys kept. */
  static TaskHeaders headersOf(Headers kafka) {
    TaskHeaders.Builder builder = TaskHeaders.builder();
    for (Header header : kafka) {
      builder.add(header.key(), header.value());
    }
    return builder.build();
  }

  @Override
  public String topic() {
    return record.topic();
  }

  @Override
  public int partition() {
    return record.partition();
  }

  @Override
  public long offset() {
    return record.offset();
  }

  @Override
  public byte[] key() {
    return record.key();
  }

  @Override
  public byte[] value() {
    return record.value();
  }

  @Override
  public TaskHeaders headers() {
    return headers;
  }
}
