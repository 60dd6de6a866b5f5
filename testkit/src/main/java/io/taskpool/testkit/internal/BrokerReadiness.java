package io.taskpool.testkit.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Waits until a broker answers a metadata request, failing early if its process died. */
final class BrokerReadiness {
  private BrokerReadiness() {}

  /**
   * Returns once {@code bootstrap} lists at least {@code nodes} brokers; throws when {@code alive}
   * turns false or after {@code timeout}, with {@code what} (e.g. where its log is) in the message.
   */
  static void await(
      String bootstrap, int nodes, Duration timeout, BooleanSupplier alive, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3_000))) {
      while (true) {
        if (!alive.getAsBoolean()) {
          throw new IllegalStateException(what.get() + " exited while starting");
        }
        try {
          if (admin.describeCluster().nodes().get().size() >= nodes) {
            return;
          }
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what.get() + " not ready after " + timeout, notYet);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what.get() + " not ready after " + timeout);
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Kafka", e);
    }
  }
}
