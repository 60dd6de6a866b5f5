package io.taskpool.dev;

import io.taskpool.bench.BenchMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The benchmark: raw Kafka/Redis, taskpool and Python's seed examples in one run (see BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run the benchmark; the last stdout line is one JSON object.")
final class BenchCommand implements Runnable {
  @Parameters(arity = "0..*", description = "sections: raw, pool, queue, python, lock (default: all)")
  List<String> sections = new ArrayList<>();

  @Override
  public void run() {
    try {
      BenchMain.main(sections.toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
    }
  }
}
