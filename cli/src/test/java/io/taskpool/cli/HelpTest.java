package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {

  @Test
  void everyCommandsHelpShowsExamplesAndEveryOptionSaysWhatItDoes() {
    Map<String, CommandLine> commands = TaskpoolCli.commandLine().getSubcommands();
    assertThat(commands.keySet())
        .contains("worker", "coordinator", "status", "submit", "map", "counter", "dlq", "help");

    commands.forEach(
        (name, command) -> {
          if (name.equals("help")) {
            return;
          }
          assertThat(command.getUsageMessage())
              .as(name)
              .contains("Examples:")
              .containsPattern("\\n  .*taskpool " + name + " ");
          for (OptionSpec option : command.getCommandSpec().options()) {
            assertThat(String.join(" ", option.description()))
                .as(name + " " + option.longestName())
                .isNotBlank();
          }
        });
  }

  @Test
  void helpCommandShowsTheCommandsHelp() {
    CliRun viaHelp = CliRun.of(null, "help", "submit");
    CliRun viaFlag = CliRun.of(null, "submit", "--help");

    assertThat(viaHelp.exit).isZero();
    assertThat(viaHelp.out)
        .isEqualTo(viaFlag.out)
        .contains("default 5m")
        .contains("taskpool submit square 7");
  }

  @Test
  void commandsListOnlyTheConnectionOptionsTheyUse() {
    assertThat(usage("submit")).contains("--bootstrap-servers").doesNotContain("--redis-url");
    assertThat(usage("map")).contains("--bootstrap-servers").doesNotContain("--redis-url");
    assertThat(usage("worker")).contains("--bootstrap-servers").doesNotContain("--redis-url");
    assertThat(usage("dlq"))
        .contains("--bootstrap-servers")
        .doesNotContain("--redis-url")
        .contains("list (")
        .contains("replay (");
    assertThat(usage("counter"))
        .contains("--redis-url")
        .doesNotContain("--bootstrap-servers")
        .doesNotContain("--queue");
    assertThat(usage("coordinator"))
        .contains("--bootstrap-servers")
        .contains("--redis-url")
        .containsPattern("--min-workers=N +fewest worker processes")
        .contains("default 4");
  }

  @Test
  void workerHelpListsEveryDeclaredWorkerSettingWithItsDefault() {
    String usage = usage("worker");

    assertThat(usage).contains("Worker settings (--set KEY=VALUE");
    assertThat(io.taskpool.worker.WorkerSettings.ALL)
        .allSatisfy(
            s ->
                assertThat(usage)
                    .as(s.key())
                    .containsPattern("(?m)^  " + java.util.regex.Pattern.quote(s.key()) + " +"));
    assertThat(usage)
        .containsPattern(
            "drain\\.timeout\\.ms +how long a stop waits for in-flight tasks \\(default 30000\\)");
  }

  private static String usage(String command) {
    return TaskpoolCli.commandLine().getSubcommands().get(command).getUsageMessage();
  }
}
