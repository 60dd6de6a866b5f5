package io.taskpool.worker.internal;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskpool.core.InvalidOptionException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's meters as Prometheus text: on {@code /metrics} of a port of its own, and in a file
 * rewritten every second (atomically, so a reader never sees half of it) for the coordinator that
 * supervises it. The only class of the worker that needs {@code micrometer-registry-prometheus}.
 */
public final class MetricsExposition implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsExposition.class);

  private final PrometheusMeterRegistry registry;
  private final Path file;
  private final HttpServer server;
  private final ScheduledExecutorService timer;

  private MetricsExposition(PrometheusMeterRegistry registry, int port, Path file) {
    this.registry = registry;
    this.file = file;
    this.server = port < 0 ? null : serve(port);
    if (file == null) {
      timer = null;
    } else {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "taskpool-metrics-file");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleWithFixedDelay(this::writeFile, 0, 1, TimeUnit.SECONDS);
    }
  }

  /** A registry whose meters this class can expose. */
  public static MeterRegistry prometheusRegistry() {
    try {
      return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    } catch (NoClassDefFoundError e) {
      throw new InvalidOptionException(
          "metrics.port and metrics.file need io.micrometer:micrometer-registry-prometheus on the"
              + " class path");
    }
  }

  /**
   * Starts exposing {@code registry}.
   *
   * @param port -1 for no endpoint, 0 for any free port
   * @param file null for no file
   * @throws InvalidOptionException when the registry is not a Prometheus one or the port is taken
   */
  public static MetricsExposition start(MeterRegistry registry, int port, Path file) {
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      throw new InvalidOptionException(
          "metrics.port and metrics.file expose Prometheus text: give the worker a"
              + " PrometheusMeterRegistry, or none");
    }
    return new MetricsExposition(prometheus, port, file);
  }

  /** The port {@code /metrics} is served on, or -1. */
  public int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  private HttpServer serve(int port) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new InvalidOptionException(
          "cannot serve metrics on port " + port + ": " + e.getMessage());
    }
    http.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    return http;
  }

  private void writeFile() {
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, registry.scrape(), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      log.debug("cannot write metrics file {}: {}", file, e.getMessage());
    }
  }

  /** Stops serving; writes the file a last time, so it holds the final counts. */
  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (timer != null) {
      timer.shutdownNow();
      writeFile();
    }
  }
}
