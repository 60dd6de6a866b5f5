package io.taskpool.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void helpListsEverySection() {
    String help = TaskpoolDevCli.commandLine().getSubcommands().get("bench").getUsageMessage();

    BenchMain.SECTIONS
        .keySet()
        .forEach(section -> assertThat(help).contains("\n  " + section + " "));
    assertThat(help).contains("--external");
  }

  @Test
  void anUnknownSectionIsAOneLineErrorBeforeAnythingStarts() {
    CommandLine cli = TaskpoolDevCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("bench", "raw", "nope");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .startsWith(
            "taskpool: unknown section 'nope': choose from raw, pool, queue, python, lock,");
  }
}
