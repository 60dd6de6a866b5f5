package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.json.JsonCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The coordinator's status page as a terminal table. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a coordinator's hosts, workers and the queue's lag (its /status as a table).",
    footerHeading = "%nExamples:%n",
    footer = {"  taskpool status", "  taskpool status --coordinator http://host-a:8085"})
final class StatusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--coordinator",
      paramLabel = "URL",
      defaultValue = "http://localhost:8085",
      description = "the coordinator's status address; default ${DEFAULT-VALUE}")
  String coordinator;

  @Override
  public void run() {
    JsonNode status;
    try {
      status = new JsonCodec().tree(fetchStatus());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!status.has("host")) {
      out.println("coordinator starting");
      return;
    }
    out.printf(
        "host %s  queue %s/%s  leader %s  lag %d  %.1f tasks/s  quota %d  restarts %d  dead letters"
            + " %d%n",
        status.get("host").asText(),
        status.get("namespace").asText(),
        status.get("queue").asText(),
        status.get("leader").asText(),
        status.get("lag").asLong(),
        status.get("tasksPerSecond").asDouble(),
        status.get("desiredWorkers").asInt(),
        status.get("restarts").asLong(),
        status.get("deadLetters").asLong());
    out.printf(
        "%-16s %-24s %-8s %-10s %-11s %s%n",
        "HOST", "WORKER", "PID", "UPTIME s", "TASKS DONE", "STATE");
    for (JsonNode host : status.get("hosts")) {
      String name = host.get("host").asText();
      JsonNode workers =
          name.equals(status.get("host").asText()) ? status.get("workers") : host.get("workers");
      for (JsonNode worker : workers) {
        out.printf(
            "%-16s %-24s %-8d %-10d %-11d %s%n",
            name,
            worker.get("id").asText(),
            worker.get("pid").asLong(),
            worker.get("uptimeSeconds").asLong(),
            worker.get("tasksDone").asLong(),
            worker.get("state").asText());
      }
    }
    // Members of the queue's group that no coordinator runs (plain workers), as the brokers see
    // them
    if (status.has("members")) {
      for (JsonNode member : status.get("members")) {
        if (member.get("coordinator") == null || member.get("coordinator").isNull()) {
          out.printf(
              "%-16s %-24s %-8s %-10s %-11s %s%n",
              member.get("host").asText(),
              member.get("clientId").asText(),
              "-",
              "-",
              "-",
              "running, not a coordinator's (" + member.get("partitions").asInt() + " partitions)");
        }
      }
    }
    out.printf("%-10s %s%n", "PARTITION", "LAG");
    status
        .get("lagByPartition")
        .fields()
        .forEachRemaining(e -> out.printf("%-10s %d%n", e.getKey(), e.getValue().asLong()));
    out.flush();
  }

  /** The coordinator's {@code /status} body; every way that can fail is one sentence. */
  private byte[] fetchStatus() throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(coordinator.replaceAll("/+$", "") + "/status");
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new InvalidOptionException(
          "--coordinator '"
              + coordinator
              + "' is not an http:// URL: use e.g. http://localhost:8085");
    }
    try {
      HttpResponse<byte[]> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(3))
              .build()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new InvalidOptionException(
            "the coordinator at "
                + coordinator
                + " answered HTTP "
                + response.statusCode()
                + " to /status: is that a taskpool coordinator's status port?");
      }
      return response.body();
    } catch (ConnectException e) {
      throw new InvalidOptionException(
          "cannot reach the coordinator at "
              + coordinator
              + ": connection refused (is it running, and is that its --status-port?)");
    } catch (HttpTimeoutException e) {
      throw new InvalidOptionException(
          "cannot reach the coordinator at " + coordinator + ": no answer within 5 s");
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (why.contains("header parser received no bytes")) {
        why = "something listens there but does not answer HTTP (is that its --status-port?)";
      }
      throw new InvalidOptionException(
          "cannot reach the coordinator at " + coordinator + ": " + why);
    }
  }
}
