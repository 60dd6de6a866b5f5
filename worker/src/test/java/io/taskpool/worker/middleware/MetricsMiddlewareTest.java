package io.taskpool.worker.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsMiddlewareTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TaskMetrics taskMetrics =
      new TaskMetrics(registry, Tags.of("queue", "q"), name -> name.equals("square"));
  private final MetricsMiddleware metrics = new MetricsMiddleware(taskMetrics);

  @Test
  void tasksAreCountedPerNameAndOutcomeAndTimedInAHistogram() throws Exception {
    TaskContext square = new TaskContext("square", "id-1", new PlainDelivery());

    metrics.around(square, () -> 4);
    metrics.around(square, () -> 9);
    assertThatThrownBy(
            () ->
                metrics.around(
                    square,
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");

    assertThat(count("taskpool.tasks.started", "square")).isEqualTo(3);
    assertThat(count("taskpool.tasks.succeeded", "square")).isEqualTo(2);
    assertThat(count("taskpool.tasks.failed", "square")).isEqualTo(1);
    assertThat(
            registry
                .get("taskpool.task.duration")
                .tag("task", "square")
                .tag("outcome", "succeeded")
                .tag("queue", "q")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(registry.get("taskpool.tasks.in.flight").gauge().value()).isZero();
  }

  @Test
  void aNameWithoutAHandlerCountsAsUnknownSoLabelsStayBounded() throws Exception {
    for (int i = 0; i < 5; i++) {
      TaskContext random = new TaskContext("random-" + i, "id-" + i, new PlainDelivery());
      assertThatThrownBy(
          () ->
              metrics.around(
                  random,
                  () -> {
                    throw new IllegalStateException("no handler");
                  }));
    }

    assertThat(count("taskpool.tasks.failed", "unknown")).isEqualTo(5);
    assertThat(registry.find("taskpool.tasks.failed").counters()).hasSize(1);
  }

  @Test
  void aStreamOfUnregisteredNamesGrowsNoMeterPastTheOneUnknownSet() {
    runToTheDeadLetterTopic("garbage-0");
    int meters = registry.getMeters().size();

    for (int i = 1; i <= 20; i++) {
      runToTheDeadLetterTopic("garbage-" + i);
    }
    runToTheDeadLetterTopic(null);

    assertThat(registry.getMeters()).hasSize(meters);
    assertThat(registry.getMeters())
        .allSatisfy(meter -> assertThat(meter.getId().getTag("task")).isIn(null, "unknown"));
    assertThat(count("taskpool.tasks.started", "unknown")).isEqualTo(22);
    assertThat(count("taskpool.tasks.retried", "unknown")).isEqualTo(22);
    assertThat(count("taskpool.tasks.dead.lettered", "unknown")).isEqualTo(22);
    assertThat(count("taskpool.tasks.timed.out", "unknown")).isEqualTo(22);
  }

  // Every meter a task name can reach: started, a retried attempt past its limit, dead-lettered.
  private void runToTheDeadLetterTopic(String name) {
    TaskContext task = new TaskContext(name, "id", new PlainDelivery());
    RetryMiddleware retry =
        new RetryMiddleware(
            new io.taskpool.worker.RetryPolicy(
                2, java.time.Duration.ZERO, 1, java.time.Duration.ZERO),
            taskMetrics);
    DeadLetterMiddleware deadLetter = new DeadLetterMiddleware((t, error) -> {}, taskMetrics);
    assertThatThrownBy(
        () ->
            metrics.around(
                task,
                () ->
                    deadLetter.around(
                        task,
                        () ->
                            retry.around(
                                task,
                                () -> {
                                  if (task.attempt() == 1) {
                                    taskMetrics.timedOut(name);
                                  }
                                  throw new TaskFailure(
                                      new IllegalStateException("no handler for " + name));
                                }))));
  }

  @Test
  void retriesDeadLettersAndTimeoutsAreCountedWhereTheyHappen() throws Exception {
    TaskContext square = new TaskContext("square", "id-1", new PlainDelivery());
    new RetryMiddleware(
            new io.taskpool.worker.RetryPolicy(
                3, java.time.Duration.ZERO, 1, java.time.Duration.ZERO),
            taskMetrics)
        .around(
            square,
            new io.taskpool.worker.middleware.TaskMiddleware.Next() {
              int calls;

              @Override
              public Object proceed() {
                if (++calls < 3) {
                  throw new TaskFailure(new IllegalStateException("flaky"));
                }
                return 1;
              }
            });
    assertThatThrownBy(
        () ->
            new DeadLetterMiddleware((task, error) -> {}, taskMetrics)
                .around(
                    square,
                    () -> {
                      throw new TaskFailure(new IllegalStateException("bad"));
                    }));
    taskMetrics.timedOut("square");

    assertThat(count("taskpool.tasks.retried", "square")).isEqualTo(2);
    assertThat(count("taskpool.tasks.dead.lettered", "square")).isEqualTo(1);
    assertThat(count("taskpool.tasks.timed.out", "square")).isEqualTo(1);
  }

  private double count(String meter, String task) {
    return registry.get(meter).tag("task", task).counter().count();
  }
}
