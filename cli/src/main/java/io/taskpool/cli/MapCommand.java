package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.producer.TaskStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Python's Pool.imap from the shell: JSON lines in on stdin, results as JSON lines out, in order. */
@Command(name = "map", mixinStandardHelpOptions = true, description = "Map a task over JSON lines on stdin; print results in order.")
final class MapCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "task name")
  String task;

  @Option(names = "--chunk-size", description = "inputs per Kafka record (default 1)", defaultValue = "1")
  int chunkSize;

  @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "5m", description = "give up when no result has arrived for this long, e.g. 30s, 5m, 1h (default ${DEFAULT-VALUE}); the whole map may take longer")
  Duration timeout;

  @Override
  public void run() {
    JsonLines inputs = new JsonLines(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    boolean terminal = System.console() != null;
    PrintWriter out = spec.commandLine().getOut();
    MapOptions options =
        MapOptions.builder()
            .chunkSize(chunkSize)
            .idleTimeout(timeout)
            .onProgress(
                (done, total) -> {
                  if (terminal) {
                    System.err.print("\r" + done + " done");
                  }
                })
            .build();
    AtomicBoolean answered = new AtomicBoolean();
    try (TaskClient client = Clients.taskClient(connection);
        TaskStream<JsonNode> results = client.imap(task, inputs, JsonNode.class, options);
        NoWorkerWarning warning = NoWorkerWarning.start(connection, answered::get, timeout, spec.commandLine().getErr())) {
      results.forEachRemaining(
          result -> {
            answered.set(true);
            out.println(result);
          });
      out.flush();
    } catch (TaskTimeoutException e) {
      out.flush();
      String why = NoWorkerWarning.whyNoResult(connection);
      throw why.isEmpty() ? e : new TaskTimeoutException(e.getMessage() + why);
    }
    if (terminal) {
      System.err.println();
    }
  }

  /** Reads stdin lazily, one JSON value per non-empty line; a malformed line is named by number. */
  private static final class JsonLines implements Iterator<JsonNode> {
    private final BufferedReader reader;
    private final JsonCodec json = new JsonCodec();
    private JsonNode next;
    private int lineNumber;

    JsonLines(BufferedReader reader) {
      this.reader = reader;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          try {
            next = json.tree(line.getBytes(StandardCharsets.UTF_8));
          } catch (NonRetriableTaskException e) {
            throw new InvalidOptionException("stdin line " + lineNumber + " is not JSON: " + line);
          }
          return true;
        }
        return false;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public JsonNode next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      JsonNode value = next;
      next = null;
      return value;
    }
  }
}
