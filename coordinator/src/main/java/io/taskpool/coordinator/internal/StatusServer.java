package io.taskpool.coordinator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.taskpool.coordinator.CoordinatorStatus;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The coordinator's status over HTTP (the JDK's built-in server): {@code /status} as JSON; {@code
 * /} as a page (plain HTML, SVG and a script, {@code status.html}) that reads it every 2 s and
 * draws backlog and throughput over time, the workers (the queue group's members no coordinator
 * runs included), per-task counts, the last dead letters and worker exits; {@code /metrics} for
 * Prometheus; {@code /healthz} and {@code /readyz} for orchestrators.
 */
public final class StatusServer implements AutoCloseable {
  /**
   * The page: static HTML and a script that reads {@code /status}; no data is rendered into it
   * here.
   */
  private static final String PAGE = page();

  private final HttpServer server;
  private final Supplier<CoordinatorStatus> status;
  private final Supplier<String> metrics;
  private final JsonCodec json = new JsonCodec();

  /**
   * @param notReady null when the coordinator is ready, else why not (for {@code /readyz})
   */
  public StatusServer(
      int port,
      Supplier<CoordinatorStatus> status,
      Supplier<String> metrics,
      Supplier<String> notReady) {
    this.status = status;
    this.metrics = metrics;
    try {
      this.server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      // A port another process holds is the usual cause: say so in one line.
      throw new TaskpoolException(
          "cannot serve the status page on port "
              + port
              + ": "
              + e.getMessage()
              + " (another coordinator on this host? set --status-port)",
          e);
    }
    server.createContext(
        "/status",
        exchange ->
            send(
                exchange,
                "application/json",
                new String(json.encode(current()), StandardCharsets.UTF_8)));
    server.createContext(
        "/metrics", exchange -> send(exchange, "text/plain; version=0.0.4", metrics.get()));
    // Liveness: the process answers. Readiness: its last cycle reached Kafka (and Redis) and
    // worked.
    server.createContext(
        "/healthz", exchange -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          String reason = notReady.get();
          send(
              exchange,
              reason == null ? 200 : 503,
              "text/plain; charset=utf-8",
              reason == null ? "ready\n" : "not ready: " + reason + "\n");
        });
    server.createContext(
        "/",
        exchange -> {
          if (exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, "text/html; charset=utf-8", PAGE);
          } else {
            send(
                exchange,
                404,
                "text/plain; charset=utf-8",
                "not found: the status page is /, with /status, /metrics, /healthz and /readyz\n");
          }
        });
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static String page() {
    try (InputStream in = StatusServer.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("status.html is missing from the coordinator's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object current() {
    CoordinatorStatus now = status.get();
    return now == null ? Map.of("state", "starting") : now;
  }

  private static void send(HttpExchange exchange, String type, String body) throws IOException {
    send(exchange, 200, type, body);
  }

  private static void send(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
