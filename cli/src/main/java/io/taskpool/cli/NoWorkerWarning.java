package io.taskpool.cli;

import io.taskpool.core.Namespace;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.kafka.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Says once on stderr when a command has waited a while for results and no worker serves its queue
 * (no member in the queue's consumer group or share group), so a typo in {@code --queue} or {@code
 * --namespace}, or a pool not started, is not a silent wait.
 */
final class NoWorkerWarning implements AutoCloseable {
  static final Duration AFTER = Duration.ofSeconds(2);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "taskpool-no-worker-warning");
            t.setDaemon(true);
            return t;
          });

  private NoWorkerWarning() {}

  /** Checks once, {@link #AFTER} from now, unless {@code answered} is true by then. */
  static NoWorkerWarning start(
      Connection connection, BooleanSupplier answered, Duration timeout, Consumer<String> say) {
    NoWorkerWarning warning = new NoWorkerWarning();
    warning.timer.schedule(
        () -> {
          if (!answered.getAsBoolean() && servingWorkers(connection) == 0) {
            say.accept(
                "taskpool: no worker serves "
                    + queueName(connection)
                    + " yet; waiting up to "
                    + DurationConverter.format(timeout)
                    + " (--timeout)");
          }
        },
        AFTER.toMillis(),
        TimeUnit.MILLISECONDS);
    return warning;
  }

  /** {@code <namespace>/<queue>}, as messages name a queue. */
  static String queueName(Connection connection) {
    return connection.namespace().name() + "/" + connection.queue();
  }

  /** ": no worker serves <ns>/<queue>" when that is why a command gave up, else "". */
  static String whyNoResult(Connection connection) {
    return servingWorkers(connection) == 0 ? ": no worker serves " + queueName(connection) : "";
  }

  /** Members of the queue's consumer group plus its share group; -1 when Kafka cannot say. */
  static long servingWorkers(Connection connection) {
    Namespace ns = connection.namespace();
    try (TopicAdmin topics = new TopicAdmin(connection.kafkaSettings())) {
      long members =
          members(
              () ->
                  topics
                      .admin()
                      .describeConsumerGroups(List.of(ns.workerGroup(connection.queue())))
                      .all()
                      .get(10, TimeUnit.SECONDS)
                      .values()
                      .stream()
                      .mapToLong(g -> g.members().size())
                      .sum());
      if (members == 0 && topics.features().shareGroups()) {
        members =
            members(
                () ->
                    topics
                        .admin()
                        .describeShareGroups(List.of(ns.shareGroup(connection.queue())))
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .values()
                        .stream()
                        .mapToLong(g -> g.members().size())
                        .sum());
      }
      return members;
    } catch (RuntimeException cannotTell) {
      return -1;
    }
  }

  /**
   * A group that does not exist (Kafka 4 says so rather than describing it empty) has no members.
   */
  private static long members(Callable<Long> describe) {
    try {
      return describe.call();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0;
      }
      throw new TaskpoolException(
          "cannot describe the queue's group: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new TaskpoolException("cannot describe the queue's group: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
