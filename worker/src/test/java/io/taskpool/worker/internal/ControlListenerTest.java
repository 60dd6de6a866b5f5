package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.wire.ControlMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlListenerTest {
  private static final String TOPIC = "ns.control";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private final JsonCodec json = new JsonCodec();
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");
  private final List<ControlMessage> received = new CopyOnWriteArrayList<>();
  private long nextOffset;
  private ControlListener listener;

  ControlListenerTest() {
    consumer.updateEndOffsets(Map.of(PARTITION, 0L));
  }

  @AfterEach
  void closeTheListener() {
    if (listener != null) {
      listener.close();
    }
  }

  @Test
  void aStopCommandForThisWorkerReachesTheWorker() {
    listener = listening(received::add, Duration.ofMillis(10));

    send(ControlMessage.stopWorker("someone-else"));
    send(ControlMessage.stopWorker("w1"));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(received).containsExactly(ControlMessage.stopWorker("w1"));
  }

  @Test
  void anUnexpectedErrorIsOutlivedAndCommandsSentMeanwhileStillArrive() {
    listener = listening(received::add, Duration.ofMillis(10));

    consumer.schedulePollTask(
        () -> {
          throw new KafkaException("the broker said no");
        });
    send(ControlMessage.stopAll());

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(received).containsExactly(ControlMessage.stopAll());
  }

  @Test
  void aCommandWhoseHandlingFailedIsReadAgainFromItsOffset() {
    AtomicInteger calls = new AtomicInteger();
    listener =
        listening(
            message -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("not now");
              }
              received.add(message);
            },
            Duration.ofMillis(10));
    send(ControlMessage.stopWorker("someone-else"));
    send(ControlMessage.stopWorker("w1"));

    // The mock serves a record once: after the failure its position is back at the command,
    // and the broker would serve it again from there.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> calls.get() == 1 && consumer.position(PARTITION) == 1);
    nextOffset = 1;
    send(ControlMessage.stopWorker("w1"));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(calls).hasValue(2);
  }

  @Test
  void closeEndsTheListenerAtOnceEvenDuringABackoffAndClosesTheConsumer()
      throws InterruptedException {
    CountDownLatch failed = new CountDownLatch(1);
    listener = listening(received::add, Duration.ofMinutes(1));
    consumer.schedulePollTask(
        () -> {
          failed.countDown();
          throw new KafkaException("the broker said no");
        });
    assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    listener.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void theBackoffDoublesFromTheFirstWaitUpToTheMostItMayBe() {
    Duration first = Duration.ofMillis(500);
    Duration max = Duration.ofSeconds(30);

    assertThat(ControlListener.backoff(1, first, max)).isEqualTo(first);
    assertThat(ControlListener.backoff(2, first, max)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ControlListener.backoff(7, first, max)).isEqualTo(max);
    assertThat(ControlListener.backoff(1_000, first, max)).isEqualTo(max);
  }

  private ControlListener listening(
      java.util.function.Consumer<ControlMessage> onStop, Duration firstBackoff) {
    return new ControlListener(consumer, TOPIC, "w1", "q", json, onStop, firstBackoff);
  }

  private void send(ControlMessage message) {
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, nextOffset++, null, json.encode(message)));
  }
}
