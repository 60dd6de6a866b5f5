package io.taskpool.worker.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.worker.RetryPolicy;
import io.taskpool.worker.TimeLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a failed attempt travels the middleware as a {@link TaskFailure}, and who acts on its cause.
 */
class FailureThroughTheChainTest {
  private final RetryMiddleware retry =
      new RetryMiddleware(new RetryPolicy(3, Duration.ZERO, 1, Duration.ZERO));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void aHandlersCheckedExceptionIsRetriedThenLeavesWithItAsTheCause() {
    TaskContext task = task();

    assertThatThrownBy(() -> retry.around(task, () -> fail(new IOException("disk full"))))
        .isInstanceOf(TaskFailure.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aNonRetriableFailureAndAnErrorAreNotRetried() {
    assertThatThrownBy(
            () -> retry.around(task(), () -> fail(new NonRetriableTaskException("bad input"))))
        .cause()
        .isInstanceOf(NonRetriableTaskException.class);
    assertThat(calls).hasValue(1);

    assertThatThrownBy(() -> retry.around(task(), () -> fail(new AssertionError("bug"))))
        .cause()
        .isInstanceOf(AssertionError.class);
    assertThat(calls).hasValue(2);
  }

  @Test
  void aMiddlewaresOwnExceptionIsRetriedLikeTheHandlers() {
    assertThat(
            retry.around(
                task(),
                () -> {
                  if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("rate limited");
                  }
                  return "done";
                }))
        .isEqualTo("done");
  }

  @Test
  void aSoftTimeLimitFailsTheAttemptWithATaskTimeoutAndLeavesNoInterruptBehind() {
    TimeLimitMiddleware limit =
        new TimeLimitMiddleware(
            timer, name -> TimeLimits.soft(Duration.ofMillis(50)), (task, hard) -> {});

    assertThatThrownBy(
            () ->
                limit.around(
                    task(),
                    () -> {
                      try {
                        Thread.sleep(10_000);
                        return "late";
                      } catch (InterruptedException e) {
                        throw new TaskFailure(e);
                      }
                    }))
        .isInstanceOf(TaskFailure.class)
        .cause()
        .isInstanceOf(TaskTimeoutException.class)
        .hasMessageContaining("ran past its soft time limit of 50 ms");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void theDeadLetterMiddlewareWritesTheCauseNotTheWrapper() {
    AtomicInteger written = new AtomicInteger();
    DeadLetterMiddleware deadLetter =
        new DeadLetterMiddleware(
            (task, error) -> {
              assertThat(error).isInstanceOf(IOException.class);
              written.incrementAndGet();
            });

    assertThatThrownBy(() -> deadLetter.around(task(), () -> fail(new IOException("gone"))))
        .isInstanceOf(DeadLetterMiddleware.DeadLetteredException.class)
        .cause()
        .isInstanceOf(IOException.class);
    assertThat(written).hasValue(1);
  }

  private Object fail(Throwable error) {
    calls.incrementAndGet();
    throw TaskFailure.of(error);
  }

  private static TaskContext task() {
    return new TaskContext("square", "id-1", new PlainDelivery());
  }
}
