package io.taskpool.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling until a condition holds, for the benchmark's set-up and measured waits. */
final class Waits {
  private Waits() {}

  /**
   * @throws IllegalStateException naming {@code what} if {@code timeout} passes first
   */
  static void until(String what, BooleanSupplier condition, Duration timeout, Duration pollEvery)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " not within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(pollEvery.toMillis());
    }
  }
}
