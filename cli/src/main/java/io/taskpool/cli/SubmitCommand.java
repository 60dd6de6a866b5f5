package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.producer.TaskClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Python's apply_async(...).get() from the shell: prints the result as JSON. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Run one task and print its JSON result, as apply_async(...).get() does.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  taskpool submit square 7",
      "  taskpool submit echo '\"hello\"' --queue emails --timeout 30s",
      "  taskpool submit add '[2, 3]'"
    })
final class SubmitCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TASK",
      description = "the task's registered name, e.g. square")
  String task;

  @Parameters(
      index = "1",
      paramLabel = "JSON",
      description = "the input as one JSON value, e.g. 7, '\"text\"' or '[1, 2]'")
  String json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5m",
      description = "how long to wait for the result, e.g. 30s, 5m, 1h; default ${DEFAULT-VALUE}")
  Duration timeout;

  @Override
  public void run() {
    JsonCodec codec = new JsonCodec();
    JsonNode input;
    try {
      input = codec.tree(json.getBytes(StandardCharsets.UTF_8));
    } catch (NonRetriableTaskException e) {
      throw new InvalidOptionException("input is not JSON: " + json);
    }
    try (TaskClient client = Clients.taskClient(connection)) {
      CompletableFuture<JsonNode> result = client.submit(task, input, JsonNode.class);
      try (NoWorkerWarning warning =
          NoWorkerWarning.start(connection, result::isDone, timeout, this::warn)) {
        spec.commandLine().getOut().println(result.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        result.cancel(false);
        throw new TaskTimeoutException(
            "no result for "
                + task
                + " within "
                + DurationConverter.format(timeout)
                + NoWorkerWarning.whyNoResult(connection));
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new TaskpoolException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while waiting for the result");
    }
  }

  private void warn(String line) {
    spec.commandLine().getErr().println(line);
    spec.commandLine().getErr().flush();
  }
}
