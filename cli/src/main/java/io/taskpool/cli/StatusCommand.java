package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.json.JsonCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The coordinator's status page as a terminal table. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a coordinator's hosts, workers and the queue's lag (its /status as a table).",
    footerHeading = "%nExamples:%n",
    footer = {"  taskpool status", "  taskpool status --coordinator http://host-a:8085"})
final class StatusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--coordinator", paramLabel = "URL", defaultValue = "http://localhost:8085", description = "the coordinator's status address; default ${DEFAULT-VALUE}")
  String coordinator;

  @Override
  public void run() {
    JsonNode status;
    try {
      HttpResponse<byte[]> response =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(HttpRequest.newBuilder(URI.create(coordinator + "/status")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
      status = new JsonCodec().tree(response.body());
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidOptionException("cannot reach the coordinator at " + coordinator + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!status.has("host")) {
      out.println("coordinator starting");
      return;
    }
    out.printf("host %s  queue %s/%s  leader %s  lag %d  %.1f tasks/s  quota %d  restarts %d  dead letters %d%n", status.get("host").asText(), status.get("namespace").asText(), status.get("queue").asText(), status.get("leader").asText(), status.get("lag").asLong(), status.get("tasksPerSecond").asDouble(), status.get("desiredWorkers").asInt(), status.get("restarts").asLong(), status.get("deadLetters").asLong());
    out.printf("%-16s %-24s %-8s %-10s %-11s %s%n", "HOST", "WORKER", "PID", "UPTIME s", "TASKS DONE", "STATE");
    for (JsonNode host : status.get("hosts")) {
      String name = host.get("host").asText();
      JsonNode workers = name.equals(status.get("host").asText()) ? status.get("workers") : host.get("workers");
      for (JsonNode worker : workers) {
        out.printf("%-16s %-24s %-8d %-10d %-11d %s%n", name, worker.get("id").asText(), worker.get("pid").asLong(), worker.get("uptimeSeconds").asLong(), worker.get("tasksDone").asLong(), worker.get("state").asText());
      }
    }
    out.printf("%-10s %s%n", "PARTITION", "LAG");
    status.get("lagByPartition").fields().forEachRemaining(e -> out.printf("%-10s %d%n", e.getKey(), e.getValue().asLong()));
    out.flush();
  }
}
