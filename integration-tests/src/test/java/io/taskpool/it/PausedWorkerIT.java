package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.it.TestTasks.Counted;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker frozen (SIGSTOP) past its session timeout, then thawed: a zombie that must not corrupt
 * the map.
 */
@Tag("topology")
@ExtendWith(LocalClusterExtension.class)
class PausedWorkerIT {
  private static final Logger log = LoggerFactory.getLogger(PausedWorkerIT.class);
  private static final int TASKS = 3_000;
  private static final int TASK_MS = 10;
  private static final int CONCURRENCY = 2;
  private static final int COMMIT_INTERVAL_MS = 200;

  @Test
  void aWorkerStoppedPastItsSessionTimeoutLosesItsPartitionsAndItsLateRepliesChangeNothing(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("zombie");
    ExecutionCounter runs = new ExecutionCounter(cluster.redisUrl(), ns);
    try (WorkerFleet fleet = new WorkerFleet(cluster, ns);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      // Given two workers and a map of 10 ms tasks under way
      fleet.start("steady", Map.of("concurrency", "" + CONCURRENCY));
      JvmProcess zombie =
          fleet.start(
              "zombie",
              Map.of(
                  "concurrency", "" + CONCURRENCY, "commit.interval.ms", "" + COMMIT_INTERVAL_MS));
      fleet.awaitActiveMembers(2);
      RunningMap map =
          RunningMap.start(client, "counted", Counted.range(cluster.redisUrl(), ns, TASKS, TASK_MS))
              .awaitProgress(300);

      // When one worker is frozen until the group has moved its partitions to the other, then
      // thawed
      zombie.signal("STOP");
      fleet.awaitActiveMembers(1);
      zombie.signal("CONT");

      // Then the map completes with every result in input order, none lost
      assertThat(map.results())
          .containsExactlyElementsOf(IntStream.range(0, TASKS).boxed().toList());
      assertThat(runs.neverRan(TASKS)).isZero();

      // And only the zombie's in-flight work ran again: what it finished and had not committed when
      // it froze (up to two commit intervals: an async commit may have been in flight) and what it
      // was running. Its prefetch does not start after the thaw: it checks with the group first
      // (116 ran twice in one run before it did)
      long duplicates = runs.duplicates(TASKS);
      log.info(
          "zombie worker: longest pause {} ms, {} tasks ran twice",
          map.longestStall().toMillis(),
          duplicates);
      int finishedPerCommitInterval = COMMIT_INTERVAL_MS / TASK_MS * CONCURRENCY;
      assertThat(duplicates)
          .as("tasks run twice")
          .isLessThanOrEqualTo(2 * finishedPerCommitInterval + CONCURRENCY);
      fleet.awaitActiveMembers(2);
      assertThat(zombie.isAlive()).isTrue();
    }
  }
}
