package io.taskpool.worker.internal;

import io.taskpool.worker.internal.ShareLedger.Ready;
import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.TaskSink;
import io.taskpool.worker.spi.TaskSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code SHARED} task source: Kafka share-group members (KIP-932). Records are acquired under a
 * broker lock and acknowledged one by one: ACCEPT after the result was sent, REJECT once
 * dead-lettered, RELEASE when given back unrun. Any number of workers share a topic, whatever its
 * partition count, and a slow or poison record holds up nothing but its own consumer.
 *
 * <p>A share consumer is single-threaded and, in explicit mode, refuses to poll while a record of
 * its last batch is unacknowledged; renewing a lock (RENEW) hands the record back in a later poll,
 * and in Kafka 4.4 such a poll brings nothing new. So each worker runs several consumers (one per
 * handler thread), each with a small batch: it runs the batch on the worker's threads, acknowledges
 * outcomes as they come, renews what is still running when a lock is half-way to expiry, and polls
 * again once the batch is settled. A long task stalls only its own consumer's next batch.
 */
public final class KafkaSharedTaskSource implements TaskSource {
  private static final Logger log = LoggerFactory.getLogger(KafkaSharedTaskSource.class);
  private static final long DEFAULT_LOCK_MILLIS = 30_000;

  private final Properties consumerConfig;
  private final String topic;
  private final Duration drainTimeout;
  private final int maxInFlight;
  private final int maxPollRecords;
  private final int consumers;
  private final List<ShareLoop> loops = new CopyOnWriteArrayList<>();
  private volatile boolean stopRequested;
  private volatile boolean stopWhenIdle;

  /**
   * @param consumers share consumers this worker runs (one per handler thread)
   */
  public KafkaSharedTaskSource(
      Properties consumerConfig,
      String topic,
      Duration drainTimeout,
      int maxInFlight,
      int maxPollRecords,
      int consumers) {
    this.consumerConfig = consumerConfig;
    this.topic = topic;
    this.drainTimeout = drainTimeout;
    this.maxInFlight = maxInFlight;
    this.maxPollRecords = maxPollRecords;
    this.consumers = consumers;
  }

  @Override
  public void run(TaskSink sink) {
    List<Thread> others = new ArrayList<>();
    for (int i = 1; i < consumers; i++) {
      ShareLoop loop = new ShareLoop(i);
      Thread thread = new Thread(() -> loop.run(sink), Thread.currentThread().getName() + "-" + i);
      others.add(thread);
      thread.start();
    }
    try {
      new ShareLoop(0).run(sink);
    } finally {
      // This loop crashed or ended: the others stop too, before the lanes they feed shut down.
      if (!stopRequested) {
        stop(false);
      }
      joinAll(others);
    }
  }

  private static void joinAll(List<Thread> others) {
    for (Thread other : others) {
      try {
        other.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void stop(boolean whenIdle) {
    if (!whenIdle) {
      stopWhenIdle = false;
    } else if (!stopRequested) {
      stopWhenIdle = true;
    }
    stopRequested = true;
    if (!whenIdle) {
      loops.forEach(ShareLoop::wakeup);
    }
  }

  /** One share consumer and its batch, on a thread of its own. */
  private final class ShareLoop {
    private final int index;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final ShareLedger<ConsumerRecord<byte[], byte[]>> ledger = new ShareLedger<>();
    private volatile KafkaShareConsumer<byte[], byte[]> consumer;

    ShareLoop(int index) {
      this.index = index;
      loops.add(this);
    }

    void wakeup() {
      KafkaShareConsumer<byte[], byte[]> current = consumer;
      if (current != null) {
        current.wakeup();
      }
    }

    void run(TaskSink sink) {
      KafkaShareConsumer<byte[], byte[]> kafka = connect();
      long lockNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_LOCK_MILLIS);
      long lastPoll = 0;
      long drainDeadline = Long.MAX_VALUE;
      try {
        while (true) {
          boolean stopping = stopRequested && !stopWhenIdle;
          if (stopping && drainDeadline == Long.MAX_VALUE) {
            drainDeadline = System.nanoTime() + drainTimeout.toNanos();
          }
          if (acknowledgeFinished(kafka) > 0) {
            kafka.commitAsync();
          }
          if (stopping && (ledger.size() == 0 || System.nanoTime() > drainDeadline)) {
            break;
          }
          long now = System.nanoTime();
          int lost = ledger.forgetUnreturned(lockNanos, now);
          if (lost > 0) {
            log.warn(
                "{} renewed records did not come back within the lock timeout; the broker"
                    + " redelivers them",
                lost);
          }
          if (!timeToPoll(sink, stopping, lockNanos, now)) {
            awaitCompletion(ledger.batchSettled() ? 100 : 20);
            continue;
          }
          List<ConsumerRecord<byte[], byte[]>> renewing = ledger.takeForRenewal(now);
          for (ConsumerRecord<byte[], byte[]> running : renewing) {
            kafka.acknowledge(running, AcknowledgeType.RENEW);
          }
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = kafka.poll(Duration.ofMillis(ledger.size() == 0 ? 100 : 5));
          } catch (WakeupException wakeup) {
            continue;
          } catch (IllegalStateException unacknowledged) {
            // Kafka 4.4's client can hold a record the application never saw (one poll returned the
            // same offsets twice); it then refuses every poll. Start afresh: closing releases what
            // this member held, so those tasks run again (at least once, never lost).
            log.warn(
                "the share consumer refused to poll ({}) with {} records held; reconnecting, they"
                    + " will be redelivered",
                unacknowledged.getMessage(),
                ledger.size());
            kafka.close(Duration.ofSeconds(5));
            ledger.clear();
            kafka = connect();
            continue;
          }
          if (log.isDebugEnabled() && (renewing.size() + records.count() > 0)) {
            log.debug(
                "consumer {}: renewed {}, got {}, held {}",
                index,
                renewing.size(),
                records.count(),
                ledger.size());
          }
          lastPoll = System.nanoTime();
          lockNanos =
              TimeUnit.MILLISECONDS.toNanos(
                  kafka
                      .acquisitionLockTimeoutMs()
                      .map(Integer::longValue)
                      .orElse(DEFAULT_LOCK_MILLIS));
          for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!ledger.polled(record.partition(), record.offset(), record, lastPoll)) {
              continue;
            }
            if (stopping) {
              ledger.finished(record.partition(), record.offset(), Acknowledgement.RELEASED);
            } else {
              sink.accept(new ShareDelivery(record, completions));
            }
          }
          if (stopWhenIdle && records.isEmpty() && ledger.size() == 0) {
            log.info("no task waiting: stopping as asked");
            break;
          }
        }
      } finally {
        leave(kafka);
      }
    }

    /**
     * A poll needs every record of the last batch acknowledged or renewed, and a renewed record
     * comes back only from a later poll. So: poll when the batch is settled and there is room (or
     * records to get back, or a drain to finish), or when a running task's lock is half-way to
     * expiry; otherwise wait for outcomes.
     */
    private boolean timeToPoll(TaskSink sink, boolean stopping, long lockNanos, long now) {
      if (!ledger.batchSettled()) {
        return ledger.lockOlderThan(lockNanos / 2, now);
      }
      boolean room = !stopping && sink.inFlight() + maxPollRecords <= maxInFlight;
      return room || stopping || ledger.size() > 0;
    }

    private KafkaShareConsumer<byte[], byte[]> connect() {
      Properties config = new Properties();
      config.putAll(consumerConfig);
      config.put(
          "client.id", consumerConfig.getProperty("client.id", "taskpool-worker") + "-" + index);
      KafkaShareConsumer<byte[], byte[]> kafka =
          new KafkaShareConsumer<>(
              config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      kafka.subscribe(List.of(topic));
      consumer = kafka;
      return kafka;
    }

    /** Tells the consumer the outcome of every finished task whose record it holds now. */
    private int acknowledgeFinished(KafkaShareConsumer<byte[], byte[]> kafka) {
      List<Completion> done = new ArrayList<>();
      completions.drainTo(done);
      for (Completion completion : done) {
        ledger.finished(completion.partition, completion.offset, completion.outcome);
      }
      List<Ready<ConsumerRecord<byte[], byte[]>>> ready = ledger.takeReady();
      for (Ready<ConsumerRecord<byte[], byte[]>> r : ready) {
        for (ConsumerRecord<byte[], byte[]> copy : r.copies()) {
          kafka.acknowledge(copy, type(r.outcome()));
        }
      }
      return ready.size();
    }

    private static AcknowledgeType type(Acknowledgement outcome) {
      return switch (outcome) {
        case PROCESSED -> AcknowledgeType.ACCEPT;
        case DEAD_LETTERED -> AcknowledgeType.REJECT;
        case RELEASED -> AcknowledgeType.RELEASE;
      };
    }

    private void awaitCompletion(long millis) {
      try {
        Completion first = completions.poll(millis, TimeUnit.MILLISECONDS);
        if (first != null) {
          completions.add(first);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested = true;
      }
    }

    private void leave(KafkaShareConsumer<byte[], byte[]> kafka) {
      try {
        acknowledgeFinished(kafka);
        if (ledger.size() > 0) {
          log.warn(
              "{} tasks still held after the drain timeout ({}); the broker hands them to other"
                  + " workers",
              ledger.size(),
              drainTimeout);
        }
        kafka.commitSync(Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        log.warn(
            "final acknowledgement failed; unacknowledged records will be redelivered: {}",
            e.toString());
      } finally {
        // Records still acquired are released by the broker when this member leaves.
        kafka.close(Duration.ofSeconds(10));
        consumer = null;
      }
    }
  }

  private record Completion(int partition, long offset, Acknowledgement outcome) {}

  private static final class ShareDelivery extends RecordDelivery {
    private final LinkedBlockingQueue<Completion> completions;

    ShareDelivery(
        ConsumerRecord<byte[], byte[]> record, LinkedBlockingQueue<Completion> completions) {
      super(record);
      this.completions = completions;
    }

    @Override
    public int deliveryCount() {
      return record.deliveryCount().map(Short::intValue).orElse(1);
    }

    @Override
    public void acknowledge(Acknowledgement outcome) {
      completions.add(new Completion(record.partition(), record.offset(), outcome));
    }
  }
}
