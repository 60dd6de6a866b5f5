package io.taskpool.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.json.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.IntStream;

/** A coordinator's {@code /status} as tests poll it: -1 while the page does not answer. */
final class StatusPage {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final JsonCodec JSON = new JsonCodec();

  private final URI uri;

  StatusPage(String host, int port) {
    this.uri = URI.create("http://" + host + ":" + port + "/status");
  }

  JsonNode read() throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return JSON.tree(response.body());
  }

  /** Workers the coordinator reports running. */
  long running() {
    try {
      JsonNode workers = read().get("workers");
      return workers == null
          ? -1
          : IntStream.range(0, workers.size())
              .filter(i -> workers.get(i).get("state").asText().equals("running"))
              .count();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The host's quota (its desired workers). */
  int quota() {
    try {
      JsonNode status = read();
      return status.has("desiredWorkers") ? status.get("desiredWorkers").asInt() : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
