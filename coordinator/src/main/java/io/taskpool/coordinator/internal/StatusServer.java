package io.taskpool.coordinator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.taskpool.coordinator.CoordinatorStatus;
import io.taskpool.coordinator.CoordinatorStatus.Sample;
import io.taskpool.coordinator.HostStatus;
import io.taskpool.coordinator.WorkerStatus;
import io.taskpool.core.json.JsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The coordinator's status over HTTP (the JDK's built-in server): {@code /status} as JSON, {@code
 * /} as a small HTML page that refreshes itself and draws lag and throughput of the last minutes,
 * {@code /metrics} for Prometheus.
 */
public final class StatusServer implements AutoCloseable {
  private final HttpServer server;
  private final Supplier<CoordinatorStatus> status;
  private final Supplier<String> metrics;
  private final JsonCodec json = new JsonCodec();

  /** @param notReady null when the coordinator is ready, else why not (for {@code /readyz}) */
  public StatusServer(int port, Supplier<CoordinatorStatus> status, Supplier<String> metrics, Supplier<String> notReady) {
    this.status = status;
    this.metrics = metrics;
    try {
      this.server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the status page on port " + port, e);
    }
    server.createContext("/status", exchange -> send(exchange, "application/json", new String(json.encode(current()), StandardCharsets.UTF_8)));
    server.createContext("/metrics", exchange -> send(exchange, "text/plain; version=0.0.4", metrics.get()));
    // Liveness: the process answers. Readiness: its last cycle reached Kafka (and Redis) and worked.
    server.createContext("/healthz", exchange -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          String reason = notReady.get();
          send(exchange, reason == null ? 200 : 503, "text/plain; charset=utf-8", reason == null ? "ready\n" : "not ready: " + reason + "\n");
        });
    server.createContext("/", exchange -> send(exchange, "text/html; charset=utf-8", html(current())));
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private Object current() {
    CoordinatorStatus now = status.get();
    return now == null ? Map.of("state", "starting") : now;
  }

  private static void send(HttpExchange exchange, String type, String body) throws IOException {
    send(exchange, 200, type, body);
  }

  private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String html(Object current) {
    StringBuilder page = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\"><title>taskpool coordinator</title>");
    page.append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}</style></head><body>");
    if (!(current instanceof CoordinatorStatus s)) {
      return page.append("<p>starting…</p></body></html>").toString();
    }
    page.append("<h1>taskpool coordinator ").append(escape(s.host())).append("</h1>");
    page.append("<p>queue <b>").append(escape(s.namespace() + "/" + s.queue())).append("</b>: lag ").append(s.lag()).append(", ").append(String.format("%.1f", s.tasksPerSecond())).append(" tasks/s, this host's quota ").append(s.desiredWorkers()).append(", leader ").append(escape(s.leader())).append(", restarts ").append(s.restarts()).append(", dead letters ").append(s.deadLetters()).append("</p>");
    page.append("<table id=\"workers\"><tr><th>host</th><th>worker</th><th>pid</th><th>uptime s</th><th>tasks done</th><th>state</th></tr>");
    for (HostStatus host : s.hosts()) {
      List<WorkerStatus> workers = host.host().equals(s.host()) ? s.workers() : host.workers();
      for (WorkerStatus worker : workers) {
        page.append("<tr><td>").append(escape(host.host())).append("</td><td>").append(escape(worker.id())).append("</td><td>").append(worker.pid()).append("</td><td>").append(worker.uptimeSeconds()).append("</td><td>").append(worker.tasksDone()).append("</td><td>").append(escape(worker.state())).append("</td></tr>");
      }
    }
    page.append("</table><table id=\"hosts\"><tr><th>host</th><th>quota</th><th>min</th><th>max</th><th>leader</th></tr>");
    for (HostStatus host : s.hosts()) {
      page.append("<tr><td>").append(escape(host.host())).append("</td><td>").append(host.quota()).append("</td><td>").append(host.minWorkers()).append("</td><td>").append(host.maxWorkers()).append("</td><td>").append(host.host().equals(s.leader()) ? "yes" : "").append("</td></tr>");
    }
    page.append("</table><table id=\"lag\"><tr><th>partition</th><th>lag</th></tr>");
    s.lagByPartition().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> page.append("<tr><td>").append(e.getKey()).append("</td><td>").append(e.getValue()).append("</td></tr>"));
    page.append("</table>").append(chart(s.history())).append("</body></html>");
    return page.toString();
  }

  /** Lag (blue) and tasks/s (green) of the last minutes, each scaled to its own maximum. */
  private static String chart(List<Sample> history) {
    int width = 600;
    int height = 120;
    double maxLag = Math.max(1, history.stream().mapToLong(Sample::lag).max().orElse(1));
    double maxRate = Math.max(1, history.stream().mapToDouble(Sample::tasksPerSecond).max().orElse(1));
    StringBuilder lag = new StringBuilder();
    StringBuilder rate = new StringBuilder();
    for (int i = 0; i < history.size(); i++) {
      double x = history.size() == 1 ? 0 : i * (double) width / (history.size() - 1);
      lag.append(String.format("%.1f,%.1f ", x, height - history.get(i).lag() / maxLag * height));
      rate.append(String.format("%.1f,%.1f ", x, height - history.get(i).tasksPerSecond() / maxRate * height));
    }
    return "<svg width=\"" + width + "\" height=\"" + height + "\" style=\"border:1px solid #ccc\"><polyline fill=\"none\" stroke=\"steelblue\" points=\"" + lag + "\"/><polyline fill=\"none\" stroke=\"seagreen\" points=\"" + rate + "\"/></svg><p><span style=\"color:steelblue\">lag</span> (max " + (long) maxLag + ") and <span style=\"color:seagreen\">tasks/s</span> (max " + String.format("%.0f", maxRate) + ")</p>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
