package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.TaskFailedException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.TaskpoolException;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.producer.TaskStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Python's {@code Pool.map} from the shell: JSON lines in on stdin, results as JSON lines out, in
 * input order. The input is streamed (it may be endless); the chunk size is chosen as {@code
 * Pool.map} chooses it, from the input's length, which is read ahead only as far as that choice
 * needs.
 */
@Command(
    name = "map",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Map a task over JSON lines on stdin; print each result as a JSON line, in input order.",
      "Progress (count, rate, ETA) goes to stderr when it is a terminal."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  seq 1 300000 | taskpool map square > squares.txt",
      "  taskpool map add --chunk-size 1 --on-error continue < pairs.jsonl",
      "",
      "Exit status: 0 all inputs done, 1 a task or input failed (see --on-error) or the map timed"
          + " out, 2 a wrong command line."
    })
final class MapCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TASK",
      description = "the task's registered name, e.g. square")
  String task;

  @Option(
      names = "--chunk-size",
      paramLabel = "N",
      description =
          "inputs per Kafka record; default: chosen from the input's length as Python's Pool.map"
              + " does (up to 10,000); 1 sends each input alone")
  Integer chunkSize;

  @Option(
      names = "--on-error",
      paramLabel = "stop|continue",
      defaultValue = "stop",
      converter = MapCommand.OnErrorConverter.class,
      description =
          "on a failed task or a line that is not JSON: stop (print what came before, then the"
              + " error) or continue (name the failed lines on stderr, print the other results,"
              + " exit 1 at the end); default ${DEFAULT-VALUE}")
  OnError onError;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5m",
      description =
          "give up when no result has arrived for this long, e.g. 30s, 5m, 1h; the whole map may"
              + " take longer; default ${DEFAULT-VALUE}")
  Duration timeout;

  @Option(
      names = "--progress",
      negatable = true,
      description = "show progress on stderr; default: when stderr is a terminal")
  Boolean progress;

  @Mixin Connection connection;

  /** What {@code map} does on a failed input. */
  enum OnError {
    STOP,
    CONTINUE
  }

  /** {@code stop} or {@code continue}, in any case. */
  static final class OnErrorConverter implements ITypeConverter<OnError> {
    @Override
    public OnError convert(String value) {
      try {
        return OnError.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionException("--on-error takes stop or continue, not '" + value + "'");
      }
    }
  }

  @Override
  public void run() {
    boolean stopOnError = onError == OnError.STOP;
    AtomicLong done = new AtomicLong();
    ProgressLine line =
        new ProgressLine(spec.commandLine().getOut(), spec.commandLine().getErr(), done::get);
    JsonLineInput input =
        new JsonLineInput(
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
            stopOnError ? null : problem -> line.message("taskpool: " + problem));
    long failed = 0;
    try (line) {
      if (progress != null ? progress : ProgressLine.stderrIsTerminal()) {
        line.start(() -> input.exhausted() ? input.count() : -1);
      }
      AtomicBoolean answered = new AtomicBoolean();
      try (TaskClient client = Clients.taskClient(connection);
          NoWorkerWarning warning =
              NoWorkerWarning.start(connection, answered::get, timeout, line::message)) {
        int chunk = chunkSize != null ? chunkSize : autoChunk(client, input);
        MapOptions options =
            MapOptions.builder()
                .chunkSize(chunk)
                .idleTimeout(timeout)
                .onProgress((n, total) -> done.set(n))
                .build();
        long accounted = 0;
        try (TaskStream<JsonNode> results = client.imap(task, input, JsonNode.class, options)) {
          while (results.hasNext()) {
            try {
              JsonNode result = results.next();
              answered.set(true);
              accounted++;
              input.settle(1);
              line.result(result.toString());
            } catch (TaskFailedException e) {
              answered.set(true);
              // Results come in input order, so the failed chunk starts here; only the last is
              // short.
              int inputs = (int) Math.max(1, Math.min(chunk, input.count() - accounted));
              accounted += inputs;
              String lines = input.settle(inputs);
              String error = simpleName(e.errorType()) + ": " + e.errorMessage();
              if (stopOnError) {
                throw new TaskpoolException(
                    lines + " failed: " + error + " (--on-error continue goes on past it)");
              }
              failed += inputs;
              line.message("taskpool: " + lines + " failed: " + error);
            }
          }
        } catch (TaskTimeoutException e) {
          String why = NoWorkerWarning.whyNoResult(connection);
          throw why.isEmpty() ? e : new TaskTimeoutException(e.getMessage() + why);
        }
      }
    }
    if (input.failure() != null) {
      throw input.failure();
    }
    long bad = failed + input.skipped();
    if (bad > 0) {
      throw new TaskpoolException(
          bad + " of " + (input.count() + input.skipped()) + " inputs failed");
    }
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** Python's rule over the input's length, reading ahead only as far as the choice needs. */
  private static int autoChunk(TaskClient client, JsonLineInput input) {
    long horizon = client.inputsForLargestChunk();
    return input.readAhead(horizon)
        ? client.chunkSizeFor(input.count())
        : client.chunkSizeFor(horizon);
  }
}
