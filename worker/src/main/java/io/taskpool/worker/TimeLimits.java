package io.taskpool.worker;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;

/**
 * How long one attempt of a task may run (Celery's {@code soft_time_limit} / {@code time_limit}).
 * Past the soft limit the handler's thread is interrupted and the attempt fails with {@link
 * io.taskpool.core.TaskTimeoutException} (retried or dead-lettered by the retry policy). Past the
 * hard limit, a handler that ignored the interrupt is abandoned: its task is re-queued with the
 * attempt counted (dead-lettered after the last), and the worker exits non-zero so its coordinator
 * starts a fresh one; a stuck thread never holds a partition's commits. Either limit may be null
 * (none); {@link #NONE} is the default.
 */
public record TimeLimits(Duration soft, Duration hard) {
  /** No limit. */
  public static final TimeLimits NONE = new TimeLimits(null, null);

  public TimeLimits {
    if (soft != null && (soft.isNegative() || soft.isZero())) {
      throw new InvalidOptionException("soft time limit must be positive, was " + soft);
    }
    if (hard != null && (hard.isNegative() || hard.isZero())) {
      throw new InvalidOptionException("hard time limit must be positive, was " + hard);
    }
    if (soft != null && hard != null && hard.compareTo(soft) < 0) {
      throw new InvalidOptionException(
          "hard time limit ("
              + hard.toMillis()
              + " ms) must not be below the soft one ("
              + soft.toMillis()
              + " ms)");
    }
  }

  /** A soft limit only. */
  public static TimeLimits soft(Duration soft) {
    return new TimeLimits(soft, null);
  }

  /** Both limits. */
  public static TimeLimits of(Duration soft, Duration hard) {
    return new TimeLimits(soft, hard);
  }

  public boolean isNone() {
    return soft == null && hard == null;
  }

  /** These limits, each one missing taken from {@code defaults}. */
  public TimeLimits orElse(TimeLimits defaults) {
    return new TimeLimits(soft != null ? soft : defaults.soft, hard != null ? hard : defaults.hard);
  }
}
