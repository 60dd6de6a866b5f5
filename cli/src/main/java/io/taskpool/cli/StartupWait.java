package io.taskpool.cli;

import io.taskpool.core.InvalidOptionException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A server's patience at start: a broker or Redis that is not up yet (a container starting beside
 * it, a host rebooting) is asked again with backoff, 1 s doubling to 10 s, saying so each time,
 * until a deadline; only then is it the command's one-line error.
 */
final class StartupWait {
  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration MOST = Duration.ofSeconds(10);

  private StartupWait() {}

  /**
   * Returns once {@code address} accepts a TCP connection.
   *
   * @param what names the service in messages, e.g. "Kafka at kafka:9092"
   * @throws InvalidOptionException when it did not within {@code patience}
   */
  static void untilReachable(
      String what, String host, int port, Duration patience, Consumer<String> say) {
    long deadline = System.nanoTime() + patience.toNanos();
    Duration pause = FIRST;
    while (true) {
      String why = connect(host, port);
      if (why == null) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new InvalidOptionException(
            "cannot reach "
                + what
                + ": "
                + why
                + " (waited "
                + DurationConverter.format(patience)
                + ", --startup-timeout)");
      }
      Duration wait = Duration.ofNanos(Math.min(pause.toNanos(), left));
      say.accept(
          "taskpool: "
              + what
              + " is not reachable yet ("
              + why
              + "); retrying in "
              + Math.max(1, wait.toSeconds())
              + "s");
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InvalidOptionException("interrupted while waiting for " + what);
      }
      pause = pause.multipliedBy(2).compareTo(MOST) > 0 ? MOST : pause.multipliedBy(2);
    }
  }

  /** Null when a connection opened, else why not. */
  private static String connect(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 3_000);
      return null;
    } catch (IOException | IllegalArgumentException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return message.toLowerCase(java.util.Locale.ROOT).contains("refused")
          ? "connection refused"
          : message;
    }
  }
}
