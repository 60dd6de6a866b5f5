package io.taskpool.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.testkit.JvmProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DevCliIT {

  @Test
  void theDemoPrintsTheSeedsThreeResults() {
    try (JvmProcess demo =
        JvmProcess.start(
            TaskpoolDevCli.class.getName(),
            List.of("-Xmx512m"),
            List.of("demo"),
            Path.of("target", "demo.log"))) {
      assertThat(demo.waitFor(Duration.ofMinutes(4))).as(demo.output()).isZero();
      String output = demo.output();
      assertThat(output).contains("processing: Task 0").contains("processing: Task 4");
      assertThat(output).contains("Squared results: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]");
      assertThat(output).contains("Final counter value: 500000");
      assertThat(output).containsPattern("Demo finished in [0-9.]+ s");
    }
  }

  @Test
  void theDevelopmentCommandHasTheServerCommandsAndItsOwn() {
    CommandLine cli = TaskpoolDevCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("--help")).isZero();

    assertThat(cli.getSubcommands())
        .containsKeys(
            "worker",
            "coordinator",
            "status",
            "submit",
            "map",
            "counter",
            "dlq",
            "demo",
            "cluster",
            "bench");
    assertThat(out.toString()).contains("demo").contains("coordinator");
  }
}
