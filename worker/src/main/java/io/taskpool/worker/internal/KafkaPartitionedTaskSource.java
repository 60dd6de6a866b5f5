package io.taskpool.worker.internal;

import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.TaskSink;
import io.taskpool.worker.spi.TaskSource;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code PARTITIONED} task source: a classic consumer-group member. Tasks run concurrently;
 * offsets are committed only up to the first unfinished task of each partition, on this thread,
 * every commit interval, on rebalance and on stop.
 */
public final class KafkaPartitionedTaskSource implements TaskSource {
  private static final Logger log = LoggerFactory.getLogger(KafkaPartitionedTaskSource.class);

  private final Properties consumerConfig;
  private final String topic;
  private final Duration commitInterval;
  private final Duration drainTimeout;
  private final OffsetTracker<TopicPartition> offsets = new OffsetTracker<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private volatile boolean stopRequested;
  private volatile boolean stopWhenIdle;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  public KafkaPartitionedTaskSource(Properties consumerConfig, String topic, Duration commitInterval, Duration drainTimeout) {
    this.consumerConfig = consumerConfig;
    this.topic = topic;
    this.commitInterval = commitInterval;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void run(TaskSink sink) {
    KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer = kafka;
    try {
      kafka.subscribe(List.of(topic), new DrainOnRevoke(kafka, sink));
      if (stopRequested && !stopWhenIdle) {
        return;
      }
      long nextCommit = System.nanoTime() + commitInterval.toNanos();
      boolean paused = false;
      while (!stopRequested || stopWhenIdle) {
        applyCompletions();
        if (System.nanoTime() >= nextCommit) {
          commitAsync(kafka);
          nextCommit = System.nanoTime() + commitInterval.toNanos();
        }
        if (sink.saturated() != paused) {
          paused = !paused;
          if (paused) {
            kafka.pause(kafka.assignment());
          } else {
            kafka.resume(kafka.paused());
          }
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = kafka.poll(Duration.ofMillis(paused ? 10 : 200));
        } catch (WakeupException woken) {
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          offsets.delivered(partition, record.offset());
          sink.accept(new KafkaDelivery(record, partition));
        }
        if (stopWhenIdle && records.isEmpty() && sink.inFlight() == 0 && caughtUp(kafka)) {
          log.info("no task waiting: stopping as asked");
          break;
        }
      }
    } finally {
      drainAndLeave(kafka, sink);
    }
  }

  @Override
  public void stop(boolean whenIdle) {
    // "Now" wins over "when idle"; stopWhenIdle is set before stopRequested so run() never
    // sees a stop without its mode.
    if (!whenIdle) {
      stopWhenIdle = false;
    } else if (!stopRequested) {
      stopWhenIdle = true;
    }
    stopRequested = true;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null && !whenIdle) {
      current.wakeup();
    }
  }

  private boolean caughtUp(KafkaConsumer<byte[], byte[]> kafka) {
    Set<TopicPartition> assigned = kafka.assignment();
    if (assigned.isEmpty()) {
      return true;
    }
    Map<TopicPartition, Long> ends = kafka.endOffsets(assigned);
    for (TopicPartition partition : assigned) {
      if (kafka.position(partition) < ends.getOrDefault(partition, 0L)) {
        return false;
      }
    }
    return true;
  }

  private void drainAndLeave(KafkaConsumer<byte[], byte[]> kafka, TaskSink sink) {
    try {
      kafka.pause(kafka.assignment());
      if (!sink.awaitIdle(drainTimeout)) {
        log.warn("{} tasks still running after the drain timeout ({}); they will be redelivered", sink.inFlight(), drainTimeout);
      }
      applyCompletions();
      commitSync(kafka, offsets.allCommittable());
    } catch (RuntimeException e) {
      log.warn("final commit failed; unfinished work will be redelivered: {}", e.toString());
    } finally {
      kafka.close(Duration.ofSeconds(10));
      consumer = null;
    }
  }

  private void applyCompletions() {
    Completion done;
    while ((done = completions.poll()) != null) {
      offsets.completed(done.partition, done.offset);
    }
  }

  private void commitAsync(KafkaConsumer<byte[], byte[]> kafka) {
    Map<TopicPartition, Long> positions = offsets.takeCommittable();
    if (!positions.isEmpty()) {
      // The callback runs on this thread, inside a later poll, so the tracker stays single-threaded.
      kafka.commitAsync(
          toCommit(positions),
          (committed, error) -> {
            if (error == null) {
              offsets.commitSucceeded(positions);
            } else {
              log.debug("async commit failed; it is retried: {}", error.toString());
              offsets.commitFailed(positions);
            }
          });
    }
  }

  private static void commitSync(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> positions) {
    Map<TopicPartition, OffsetAndMetadata> commit = toCommit(positions);
    if (!commit.isEmpty()) {
      kafka.commitSync(commit, Duration.ofSeconds(15));
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> toCommit(Map<TopicPartition, Long> positions) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    positions.forEach((partition, position) -> commit.put(partition, new OffsetAndMetadata(position)));
    return commit;
  }

  /** Finishes and commits the work of partitions that move to another worker. */
  private final class DrainOnRevoke implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> kafka;
    private final TaskSink sink;

    DrainOnRevoke(KafkaConsumer<byte[], byte[]> kafka, TaskSink sink) {
      this.kafka = kafka;
      this.sink = sink;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) {
        return;
      }
      // Simple and safe: let everything in flight finish, then commit what the new owner skips.
      sink.awaitIdle(drainTimeout);
      applyCompletions();
      Map<TopicPartition, Long> positions = offsets.allCommittable();
      positions.keySet().retainAll(revoked);
      try {
        commitSync(kafka, positions);
      } catch (RuntimeException e) {
        log.warn("commit on revoke failed; those tasks will run again: {}", e.toString());
      }
      offsets.remove(revoked);
      log.info("partitions revoked: {}", revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      offsets.remove(lost);
      log.warn("partitions lost (session expired): {}", lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (!assigned.isEmpty()) {
        log.info("partitions assigned: {}", assigned);
      }
    }
  }

  private record Completion(TopicPartition partition, long offset) {}

  private final class KafkaDelivery extends RecordDelivery {
    private final TopicPartition partition;

    KafkaDelivery(ConsumerRecord<byte[], byte[]> record, TopicPartition partition) {
      super(record);
      this.partition = partition;
    }

    @Override
    public int deliveryCount() {
      return 1;
    }

    @Override
    public void acknowledge(Acknowledgement outcome) {
      if (outcome != Acknowledgement.RELEASED) {
        completions.add(new Completion(partition, record.offset()));
      }
    }
  }
}
