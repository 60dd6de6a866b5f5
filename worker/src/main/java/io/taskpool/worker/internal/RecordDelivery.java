package io.taskpool.worker.internal;

import io.taskpool.worker.spi.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/** A {@link Delivery} backed by a Kafka record; sources add how it counts and is acknowledged. */
abstract class RecordDelivery implements Delivery {
  protected final ConsumerRecord<byte[], byte[]> record;

  RecordDelivery(ConsumerRecord<byte[], byte[]> record) {
    this.record = record;
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
  public Headers headers() {
    return record.headers();
  }
}
