package io.taskpool.dev;

import io.taskpool.bench.BenchMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The benchmark: raw Kafka/Redis, taskpool and Python's seed examples in one run (see
 * BENCHMARKS.md).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Run the benchmark on a broker and Redis of its own; progress goes to stderr, the last"
            + " stdout line is one JSON object.",
    footerHeading = "%nExamples:%n",
    footer = {"  taskpool bench", "  taskpool bench raw pool", "  taskpool bench lock-generic"})
final class BenchCommand implements Runnable {
  @Parameters(
      arity = "0..*",
      paramLabel = "SECTION",
      description = "sections to run, from the list above")
  List<String> sections = new ArrayList<>();

  @Option(
      names = "--external",
      description =
          "benchmark the cluster that TASKPOOL_KAFKA_BOOTSTRAP and TASKPOOL_REDIS_URL name instead"
              + " of starting one; default off")
  boolean external;

  /** The command, its help listing every section the benchmark has. */
  static CommandLine commandLine() {
    CommandLine bench = new CommandLine(new BenchCommand());
    List<String> description =
        new ArrayList<>(List.of(bench.getCommandSpec().usageMessage().description()));
    description.add("");
    description.add("Sections (default: all but those run only when named):");
    BenchMain.SECTIONS.forEach(
        (name, what) -> description.add(String.format("  %-13s%s", name, what)));
    bench.getCommandSpec().usageMessage().description(description.toArray(String[]::new));
    return bench;
  }

  @Spec CommandSpec spec;

  @Override
  public void run() {
    for (String section : sections) {
      if (!BenchMain.SECTIONS.containsKey(section)) {
        throw new ParameterException(
            spec.commandLine(),
            "unknown section '"
                + section
                + "': choose from "
                + String.join(", ", BenchMain.SECTIONS.keySet()));
      }
    }
    try {
      BenchMain.run(sections, external);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
    }
  }
}
