package io.taskpool.worker.middleware;

import io.taskpool.core.TaskTimeoutException;
import io.taskpool.worker.TimeLimits;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Enforces {@link TimeLimits} on each attempt (it sits inside the retry middleware): at the soft
 * limit it interrupts the handler's thread and fails the attempt with {@link TaskTimeoutException},
 * whether or not the handler noticed; at the hard limit it hands the task to {@link
 * HardLimitAction} (which settles it and replaces the worker) and discards whatever the thread
 * returns later. The interrupt never leaks into the thread's next task.
 */
public final class TimeLimitMiddleware implements TaskMiddleware {
  /** What happens to a task whose handler is still running at its hard limit. */
  @FunctionalInterface
  public interface HardLimitAction {
    void exceeded(TaskContext task, Duration limit);
  }

  private final ScheduledExecutorService timer;
  private final Function<String, TimeLimits> limitsOf;
  private final HardLimitAction onHardLimit;
  private final TaskMetrics metrics;

  /**
   * @param limitsOf the limits of a task name (never null; {@link TimeLimits#NONE} for none)
   */
  public TimeLimitMiddleware(
      ScheduledExecutorService timer,
      Function<String, TimeLimits> limitsOf,
      HardLimitAction onHardLimit) {
    this(timer, limitsOf, onHardLimit, TaskMetrics.NONE);
  }

  /** As above, counting each attempt past a limit in {@code metrics}. */
  public TimeLimitMiddleware(
      ScheduledExecutorService timer,
      Function<String, TimeLimits> limitsOf,
      HardLimitAction onHardLimit,
      TaskMetrics metrics) {
    this.timer = timer;
    this.limitsOf = limitsOf;
    this.onHardLimit = onHardLimit;
    this.metrics = metrics;
  }

  @Override
  public Object around(TaskContext task, Next next) {
    TimeLimits limits = limitsOf.apply(task.taskName());
    if (limits.isNone()) {
      return next.proceed();
    }
    Attempt attempt = new Attempt(Thread.currentThread());
    ScheduledFuture<?> soft =
        limits.soft() == null
            ? null
            : timer.schedule(attempt::interrupt, limits.soft().toNanos(), TimeUnit.NANOSECONDS);
    ScheduledFuture<?> hard =
        limits.hard() == null
            ? null
            : timer.schedule(
                () -> {
                  if (attempt.abandon()) {
                    metrics.timedOut(task.taskName());
                    onHardLimit.exceeded(task, limits.hard());
                  }
                },
                limits.hard().toNanos(),
                TimeUnit.NANOSECONDS);
    Object result = null;
    TaskFailure failure = null;
    try {
      result = next.proceed();
    } catch (RuntimeException e) {
      // A middleware inside may throw its own exception: the attempt's end is recorded all the
      // same.
      failure = TaskFailure.of(e);
    } finally {
      cancel(soft);
      cancel(hard);
    }
    switch (attempt.end()) {
      case ABANDONED -> {
        Thread.interrupted();
        throw new AbandonedTaskException(
            "task "
                + task.taskId()
                + " ("
                + task.taskName()
                + ") returned after its hard time limit; its late outcome is discarded");
      }
      case INTERRUPTED -> {
        Thread.interrupted();
        metrics.timedOut(task.taskName());
        throw new TaskFailure(
            new TaskTimeoutException(
                "task "
                    + task.taskName()
                    + " ran past its soft time limit of "
                    + limits.soft().toMillis()
                    + " ms (attempt "
                    + task.attempt()
                    + ")",
                failure == null ? null : failure.getCause()));
      }
      default -> {
        if (failure != null) {
          throw failure;
        }
        return result;
      }
    }
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  private enum State {
    RUNNING,
    INTERRUPTED,
    ABANDONED,
    ENDED
  }

  /** One attempt's race between the handler ending and its limits passing, decided under a lock. */
  private static final class Attempt {
    private final Thread thread;
    private State state = State.RUNNING;

    Attempt(Thread thread) {
      this.thread = thread;
    }

    synchronized void interrupt() {
      if (state == State.RUNNING) {
        state = State.INTERRUPTED;
        thread.interrupt();
      }
    }

    synchronized boolean abandon() {
      if (state == State.RUNNING || state == State.INTERRUPTED) {
        state = State.ABANDONED;
        return true;
      }
      return false;
    }

    /** Ends the attempt; returns how it stood. */
    synchronized State end() {
      State before = state;
      if (before != State.ABANDONED) {
        state = State.ENDED;
      }
      return before;
    }
  }
}
