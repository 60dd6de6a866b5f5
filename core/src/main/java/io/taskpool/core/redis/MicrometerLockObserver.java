package io.taskpool.core.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.taskpool.core.sync.LockObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lock meters in a Micrometer registry, tag {@code lock} (lock names are the code's own, so the
 * label set stays bounded): {@code taskpool_lock_wait_seconds} (a timer, tag {@code outcome} {@code
 * acquired} or {@code gave_up}; its count with {@code acquired} is the acquisitions), {@code
 * taskpool_lock_held_seconds} and {@code taskpool_lock_renewal_failures_total}.
 */
public final class MicrometerLockObserver implements LockObserver {
  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<String, Timer> acquired = new ConcurrentHashMap<>();
  private final Map<String, Timer> gaveUp = new ConcurrentHashMap<>();
  private final Map<String, Timer> held = new ConcurrentHashMap<>();
  private final Map<String, Counter> renewalFailures = new ConcurrentHashMap<>();

  /**
   * @param tags tags of every meter, e.g. {@code namespace} and {@code host}
   */
  public MicrometerLockObserver(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  @Override
  public void acquired(String lock, long waitNanos) {
    wait(acquired, lock, "acquired").record(waitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void gaveUp(String lock, long waitNanos) {
    wait(gaveUp, lock, "gave_up").record(waitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void released(String lock, long heldNanos) {
    held.computeIfAbsent(
            lock,
            l ->
                Timer.builder("taskpool.lock.held")
                    .description("how long a lock was held")
                    .tags(tags)
                    .tag("lock", l)
                    .register(registry))
        .record(heldNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void renewalFailed(String lock, String why) {
    renewalFailures
        .computeIfAbsent(
            lock,
            l ->
                Counter.builder("taskpool.lock.renewal.failures")
                    .description(
                        "lease extensions the watchdog could not make (Redis unreachable or the"
                            + " lease lost)")
                    .tags(tags)
                    .tag("lock", l)
                    .register(registry))
        .increment();
  }

  private Timer wait(Map<String, Timer> timers, String lock, String outcome) {
    return timers.computeIfAbsent(
        lock,
        l ->
            Timer.builder("taskpool.lock.wait")
                .description("how long acquiring a lock waited")
                .tags(tags)
                .tag("lock", l)
                .tag("outcome", outcome)
                .register(registry));
  }
}
