package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.producer.TaskClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Python's apply_async(...).get() from the shell: prints the result as JSON. */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Run one task and print its JSON result.")
final class SubmitCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "task name")
  String task;

  @Parameters(index = "1", description = "input as JSON, e.g. 7 or '\"text\"' or '[1, 2]'")
  String json;

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
      JsonNode result = client.submit(task, input, JsonNode.class).join();
      spec.commandLine().getOut().println(result);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
