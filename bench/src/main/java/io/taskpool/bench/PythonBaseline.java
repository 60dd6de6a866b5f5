package io.taskpool.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Runs the seed's Python examples (no sleeps) on this machine, in the same run, when python3
 * exists.
 */
final class PythonBaseline {
  private final Path dir;

  private PythonBaseline(Path dir) {
    this.dir = dir;
  }

  static PythonBaseline unpack() throws IOException {
    Path dir = Files.createTempDirectory("taskpool-bench-py");
    for (String script : List.of("pool_map.py", "queue_example.py", "lock_example.py")) {
      try (InputStream in = PythonBaseline.class.getResourceAsStream("/python/" + script)) {
        Files.copy(in, dir.resolve(script));
      }
    }
    return new PythonBaseline(dir);
  }

  static boolean available() {
    try {
      return new ProcessBuilder("python3", "--version")
          .redirectErrorStream(true)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Seconds the script reports for itself, or empty if it failed. */
  OptionalDouble run(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("python3", dir.resolve(script).toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.waitFor() != 0) {
        System.err.println(script + " failed: " + output);
        return OptionalDouble.empty();
      }
      String[] lines = output.split("\n");
      return OptionalDouble.of(Double.parseDouble(lines[lines.length - 1].trim()));
    } catch (IOException | NumberFormatException e) {
      System.err.println(script + " failed: " + e);
      return OptionalDouble.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }
}
