package io.taskpool.worker.internal;

import io.taskpool.worker.internal.OffsetTracker.CommitPoint;
import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.TaskSink;
import io.taskpool.worker.spi.TaskSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code PARTITIONED} task source: a consumer-group member. What it guarantees:
 *
 * <ul>
 *   <li>It hands its threads only as much unstarted work as they can start soon ({@link
 *       TaskSink#room}); the rest of a poll waits in a {@link FetchBuffer} and counts as not taken.
 *       Partitions assigned while the sink is saturated stay paused until it has room ({@link
 *       FetchGate}), so taking partitions over never pulls their backlogs into memory.
 *   <li>Offsets are committed (on this thread, every commit interval, on revocation and on stop) up
 *       to the first unfinished task of each partition, with the offsets finished beyond it in the
 *       commit's metadata ({@link FinishedOffsetCodec}); a partition's next owner skips those.
 *   <li>On revocation only the revoked partitions stop: their unstarted tasks are dropped (never
 *       run here), their running ones finish, their commit is written; the other partitions' tasks
 *       go on. A drain does the same for all of its partitions.
 * </ul>
 *
 * So a rebalance or a graceful scale-up or -down runs no finished task twice; only the tasks in
 * flight on a worker that died run again. A worker frozen longer than its session timeout (SIGSTOP,
 * a long pause) is out of its group when it wakes, though it does not know yet: it starts nothing
 * until its poll loop has checked with a synchronous commit, and drops its unstarted work if the
 * group refuses it ({@link #confirmMembership}).
 */
public final class KafkaPartitionedTaskSource implements TaskSource {
  /** How long a draining worker keeps asking to make its final commit through a rebalance. */
  private static final Duration FINAL_COMMIT_PATIENCE = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(KafkaPartitionedTaskSource.class);

  /** Commit metadata kept under the broker's default {@code offset.metadata.max.bytes} (4096). */
  private static final int METADATA_MAX_CHARS = 3_500;

  private final Properties consumerConfig;
  private final String topic;
  private final Duration commitInterval;
  private final Duration drainTimeout;
  private final OffsetTracker<TopicPartition> offsets = new OffsetTracker<>();
  private final FetchBuffer<TopicPartition, ConsumerRecord<byte[], byte[]>> fetched =
      new FetchBuffer<>();
  private final FetchGate<TopicPartition> gate = new FetchGate<>();
  private final Map<TopicPartition, PartitionClaim> claims = new HashMap<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private int metadataMaxChars = METADATA_MAX_CHARS;
  private volatile boolean stopRequested;
  private volatile boolean stopWhenIdle;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final long sessionTimeoutNanos;
  private final Object pollMonitor = new Object();
  private volatile long lastPollNanos = System.nanoTime();

  public KafkaPartitionedTaskSource(
      Properties consumerConfig, String topic, Duration commitInterval, Duration drainTimeout) {
    this.consumerConfig = consumerConfig;
    // The classic protocol's own setting; with KIP-848 the broker's, 45 s by default.
    this.sessionTimeoutNanos =
        Duration.ofMillis(
                Long.parseLong(
                    String.valueOf(
                        consumerConfig.getOrDefault(
                            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000"))))
            .toNanos();
    this.topic = topic;
    this.commitInterval = commitInterval;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void run(TaskSink sink) {
    KafkaConsumer<byte[], byte[]> kafka =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer = kafka;
    try {
      kafka.subscribe(List.of(topic), new RevokeOnlyWhatMoves(kafka, sink));
      if (stopRequested && !stopWhenIdle) {
        return;
      }
      long nextCommit = System.nanoTime() + commitInterval.toNanos();
      while (!stopRequested || stopWhenIdle) {
        applyCompletions();
        if (System.nanoTime() >= nextCommit) {
          commitAsync(kafka);
          nextCommit = System.nanoTime() + commitInterval.toNanos();
        }
        handOut(sink);
        fetchOnlyWhatIsNeeded(kafka, sink);
        ConsumerRecords<byte[], byte[]> records;
        try {
          // With work waiting here (fetched, or held back in Kafka), come back soon to hand it out
          // as threads free up.
          records =
              kafka.poll(Duration.ofMillis(fetched.isEmpty() && !gate.holdingBack() ? 100 : 5));
        } catch (WakeupException woken) {
          polled();
          continue;
        }
        long silent = System.nanoTime() - lastPollNanos;
        if (silent > sessionTimeoutNanos) {
          confirmMembership(kafka, silent);
        }
        polled();
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
            fetched.add(partition, record);
          }
        }
        handOut(sink);
        if (stopWhenIdle
            && records.isEmpty()
            && fetched.isEmpty()
            && sink.inFlight() == 0
            && caughtUp(kafka)) {
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
    // sees a stop without its mode. A second "now" must not wake the consumer again: by then it
    // may be in the drain's final commit, which a wakeup would abort.
    boolean alreadyStoppingNow = stopRequested && !stopWhenIdle;
    if (!whenIdle) {
      stopWhenIdle = false;
    } else if (!stopRequested) {
      stopWhenIdle = true;
    }
    stopRequested = true;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null && !whenIdle && !alreadyStoppingNow) {
      current.wakeup();
    }
  }

  private void polled() {
    lastPollNanos = System.nanoTime();
    synchronized (pollMonitor) {
      pollMonitor.notifyAll();
    }
  }

  /**
   * The poll loop was silent past the session timeout, so the group has most likely given this
   * worker's partitions to others, and the heartbeat that will say so may not have come back yet. A
   * synchronous commit asks the group coordinator: refused, every claim is withdrawn at once
   * (unstarted tasks dropped for their new owners; the next poll rejoins and reports the loss);
   * accepted, work goes on. Task threads wait for this check ({@link #awaitCheckedPoll}).
   */
  private void confirmMembership(KafkaConsumer<byte[], byte[]> kafka, long silentNanos) {
    applyCompletions();
    Map<TopicPartition, CommitPoint> points = offsets.allCommittable();
    log.warn(
        "the poll loop was silent for {} ms, past the session timeout: checking that the group"
            + " still has this worker before it starts more tasks",
        silentNanos / 1_000_000);
    if (points.isEmpty()) {
      return;
    }
    try {
      kafka.commitSync(toCommit(points), Duration.ofSeconds(15));
    } catch (CommitFailedException
        | RebalanceInProgressException
        | UnknownMemberIdException
        | FencedInstanceIdException
        | StaleMemberEpochException
        | FencedMemberEpochException evicted) {
      List<TopicPartition> held = new ArrayList<>(claims.keySet());
      int dropped = withdraw(held);
      // Fresh claims from the commit points on: if the partitions are gone the next poll's loss
      // report removes them; if some stay (a rebalance in progress), their work resumes there,
      // skipping what finished.
      for (TopicPartition partition : held) {
        CommitPoint point = points.get(partition);
        if (point != null) {
          kafka.seek(partition, point.position());
        }
        claims.put(partition, new PartitionClaim());
      }
      log.warn(
          "the group refused this worker after its silence: {} unstarted tasks dropped for their"
              + " new owners ({})",
          dropped,
          evicted.toString());
    } catch (RuntimeException cannotTell) {
      log.warn("could not check the group after the silence; going on: {}", cannotTell.toString());
    }
  }

  /**
   * Waits (see {@link #confirmMembership}) while the poll loop has been silent past the session
   * timeout.
   */
  private void awaitCheckedPoll() {
    if (System.nanoTime() - lastPollNanos <= sessionTimeoutNanos) {
      return;
    }
    synchronized (pollMonitor) {
      while (System.nanoTime() - lastPollNanos > sessionTimeoutNanos && !stopRequested) {
        try {
          pollMonitor.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Hands buffered records to the threads while they have room; skips what finished before. */
  private void handOut(TaskSink sink) {
    int room = sink.room();
    while (room > 0) {
      ConsumerRecord<byte[], byte[]> record = fetched.poll();
      if (record == null) {
        return;
      }
      TopicPartition partition = fetched.lastPartition();
      PartitionClaim claim = claims.get(partition);
      if (claim == null || claim.withdrawn()) {
        continue;
      }
      if (offsets.delivered(partition, record.offset())) {
        log.debug("skipping {}@{}: an earlier owner finished it", partition, record.offset());
        continue;
      }
      sink.accept(new KafkaDelivery(record, partition, claim));
      room--;
    }
  }

  /**
   * Fetches only for partitions with nothing buffered here, so a slow backlog stays in Kafka, and
   * not for those assigned while the worker was saturated until it has room ({@link FetchGate}).
   */
  private void fetchOnlyWhatIsNeeded(KafkaConsumer<byte[], byte[]> kafka, TaskSink sink) {
    FetchGate.Plan<TopicPartition> plan =
        gate.plan(kafka.assignment(), kafka.paused(), fetched.holding(), sink.saturated());
    if (!plan.pause().isEmpty()) {
      kafka.pause(plan.pause());
    }
    if (!plan.resume().isEmpty()) {
      kafka.resume(plan.resume());
    }
  }

  private boolean caughtUp(KafkaConsumer<byte[], byte[]> kafka) {
    Set<TopicPartition> assigned = kafka.assignment();
    if (assigned.isEmpty()) {
      return true;
    }
    try {
      Map<TopicPartition, Long> ends = kafka.endOffsets(assigned);
      for (TopicPartition partition : assigned) {
        if (kafka.position(partition) < ends.getOrDefault(partition, 0L)) {
          return false;
        }
      }
      return true;
    } catch (WakeupException stopNow) {
      // A stop "now" arrived while asking: the loop sees it next; this is no failure.
      return false;
    }
  }

  private void drainAndLeave(KafkaConsumer<byte[], byte[]> kafka, TaskSink sink) {
    try {
      kafka.pause(kafka.assignment());
      int dropped = withdraw(claims.keySet());
      if (dropped > 0) {
        log.info("draining: {} fetched tasks not started are left for the next owner", dropped);
      }
      awaitRunning(claims.values(), "drain");
      sink.awaitIdle(Duration.ofSeconds(5));
      applyCompletions();
      commitFinal(kafka);
      offsets.remove(Set.copyOf(claims.keySet()));
      claims.clear();
    } catch (RuntimeException e) {
      log.warn("final commit failed; unfinished work will be redelivered: {}", e.toString());
    } finally {
      kafka.close(Duration.ofSeconds(10));
      consumer = null;
    }
  }

  /**
   * The drain's last commit. A rebalance in progress (another worker joining or leaving at the same
   * moment) refuses it until this consumer has rejoined, which a commit alone never does: so it
   * polls, every partition paused (nothing new is fetched; what a newly assigned partition returns
   * is not handed out), lets the rebalance's callbacks commit what they revoke, and asks again.
   * Given up after {@link #FINAL_COMMIT_PATIENCE}, the finished work runs again elsewhere.
   */
  private void commitFinal(KafkaConsumer<byte[], byte[]> kafka) {
    long deadline = System.nanoTime() + FINAL_COMMIT_PATIENCE.toNanos();
    boolean waited = false;
    while (true) {
      Map<TopicPartition, CommitPoint> points = offsets.allCommittable();
      points.keySet().retainAll(kafka.assignment());
      try {
        commitSync(kafka, points);
        return;
      } catch (RebalanceInProgressException rebalancing) {
        if (System.nanoTime() > deadline) {
          throw rebalancing;
        }
        if (!waited) {
          log.info("draining: the final commit waits for the rebalance in progress to finish");
          waited = true;
        }
        try {
          kafka.poll(Duration.ofMillis(100));
        } catch (WakeupException stopAsked) {
          // A stop's wakeup meant for the poll loop: the commit still has to happen.
        }
        kafka.pause(kafka.assignment());
        applyCompletions();
      }
    }
  }

  /** Stops tasks of {@code partitions} from starting here and drops their buffered records. */
  private int withdraw(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      PartitionClaim claim = claims.get(partition);
      if (claim != null) {
        claim.withdraw();
      }
    }
    return fetched.drop(partitions);
  }

  private void awaitRunning(Collection<PartitionClaim> withdrawn, String why) {
    long deadline = PartitionClaim.deadline(drainTimeout);
    int stillRunning = 0;
    try {
      for (PartitionClaim claim : withdrawn) {
        if (!claim.awaitStarted(deadline)) {
          stillRunning += claim.running();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stillRunning > 0) {
      log.warn(
          "{}: {} tasks still running after the drain timeout ({}); they will run again on the next"
              + " owner",
          why,
          stillRunning,
          drainTimeout);
    }
  }

  private void applyCompletions() {
    Completion done;
    while ((done = completions.poll()) != null) {
      offsets.completed(done.partition, done.offset);
    }
  }

  private void commitAsync(KafkaConsumer<byte[], byte[]> kafka) {
    Map<TopicPartition, CommitPoint> points = offsets.takeCommittable();
    if (!points.isEmpty()) {
      // The callback runs on this thread, inside a later poll, so the tracker stays
      // single-threaded.
      kafka.commitAsync(
          toCommit(points),
          (committed, error) -> {
            if (error == null) {
              offsets.commitSucceeded(points);
            } else {
              log.debug("async commit failed; it is retried: {}", error.toString());
              metadataRefused(error);
              offsets.commitFailed(points);
            }
          });
    }
  }

  private void commitSync(
      KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, CommitPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    try {
      kafka.commitSync(toCommit(points), Duration.ofSeconds(15));
    } catch (WakeupException stopAsked) {
      // A stop's wakeup meant for poll(): the commit still has to happen.
      kafka.commitSync(toCommit(points), Duration.ofSeconds(15));
    } catch (OffsetMetadataTooLarge refused) {
      metadataRefused(refused);
      kafka.commitSync(toCommit(points), Duration.ofSeconds(15));
    }
  }

  // A broker with a smaller offset.metadata.max.bytes: shrink ours; at worst commit bare offsets.
  private void metadataRefused(Exception error) {
    if (error instanceof OffsetMetadataTooLarge && metadataMaxChars > 0) {
      metadataMaxChars = metadataMaxChars > 256 ? metadataMaxChars / 2 : 0;
      log.warn(
          "the broker refused the finished-offset map in commit metadata; it is now kept under {}"
              + " characters",
          metadataMaxChars);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> toCommit(Map<TopicPartition, CommitPoint> points) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    points.forEach(
        (partition, point) -> {
          FinishedOffsetCodec.Encoded map =
              FinishedOffsetCodec.encode(point.position(), point.finishedAbove(), metadataMaxChars);
          if (map.leftOut() > 0) {
            log.info(
                "{}: {} finished offsets above {} do not fit in the commit metadata; they would run"
                    + " again on a new owner",
                partition,
                map.leftOut(),
                point.position());
          }
          commit.put(partition, new OffsetAndMetadata(point.position(), map.metadata()));
        });
    return commit;
  }

  /**
   * Stops and commits only the partitions that move away; learns what finished on those that come.
   */
  private final class RevokeOnlyWhatMoves implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> kafka;
    private final TaskSink sink;

    RevokeOnlyWhatMoves(KafkaConsumer<byte[], byte[]> kafka, TaskSink sink) {
      this.kafka = kafka;
      this.sink = sink;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) {
        return;
      }
      long started = System.nanoTime();
      int dropped = withdraw(revoked);
      List<PartitionClaim> moving =
          revoked.stream().map(claims::get).filter(c -> c != null).toList();
      awaitRunning(moving, "revocation");
      applyCompletions();
      Map<TopicPartition, CommitPoint> points = offsets.allCommittable();
      points.keySet().retainAll(revoked);
      try {
        commitSync(kafka, points);
      } catch (RuntimeException e) {
        log.warn("commit on revoke failed; those tasks will run again: {}", e.toString());
      }
      offsets.remove(revoked);
      revoked.forEach(claims::remove);
      gate.removed(revoked);
      log.info(
          "partitions revoked: {} ({} unstarted left for the next owner, committed {}, in {} ms)",
          revoked,
          dropped,
          points,
          (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      withdraw(lost);
      offsets.remove(lost);
      lost.forEach(claims::remove);
      gate.removed(lost);
      log.warn("partitions lost (session expired): {}", lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
      try {
        committed = kafka.committed(new HashSet<>(assigned), Duration.ofSeconds(15));
      } catch (RuntimeException e) {
        log.warn(
            "cannot read the committed offsets of {}; tasks an earlier owner finished out of order"
                + " may run again: {}",
            assigned,
            e.toString());
      }
      int skippable = 0;
      for (TopicPartition partition : assigned) {
        claims.put(partition, new PartitionClaim());
        OffsetAndMetadata point = committed.get(partition);
        if (point != null) {
          long[] finished = FinishedOffsetCodec.decode(point.offset(), point.metadata());
          offsets.assigned(partition, point.offset(), finished);
          skippable += finished.length;
        }
      }
      boolean saturated = sink.saturated();
      gate.assigned(assigned, saturated);
      if (saturated) {
        // Before this poll fetches them: their backlog stays in Kafka until threads free up.
        kafka.pause(assigned);
      }
      log.info(
          "partitions assigned: {}{}{}",
          assigned,
          skippable > 0
              ? " (" + skippable + " tasks finished by an earlier owner are skipped)"
              : "",
          saturated ? " (paused while the worker is saturated)" : "");
    }
  }

  private record Completion(TopicPartition partition, long offset) {}

  private final class KafkaDelivery extends RecordDelivery {
    private final TopicPartition partition;
    private final PartitionClaim claim;
    private volatile boolean started;

    KafkaDelivery(
        ConsumerRecord<byte[], byte[]> record, TopicPartition partition, PartitionClaim claim) {
      super(record);
      this.partition = partition;
      this.claim = claim;
    }

    @Override
    public int deliveryCount() {
      return 1;
    }

    @Override
    public boolean tryStart() {
      awaitCheckedPoll();
      started = claim.tryStart();
      return started;
    }

    @Override
    public void acknowledge(Acknowledgement outcome) {
      if (outcome != Acknowledgement.RELEASED) {
        completions.add(new Completion(partition, record.offset()));
      }
      if (started) {
        claim.finished();
      }
    }
  }
}
