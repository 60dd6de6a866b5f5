package io.taskpool.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as a test drives it: the DOM of a page after its scripts ran, or a
 * screenshot. A fresh profile per call, and the flags that keep it off the internet.
 */
final class HeadlessChromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** The page's DOM once its scripts had {@code budgetMillis} of virtual time. */
  static String dom(String url, int budgetMillis) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", "--virtual-time-budget=" + budgetMillis, url));
  }

  /** Saves a screenshot of the page, {@code width} x {@code height}, to {@code file}. */
  static void screenshot(String url, Path file, int width, int height, int budgetMillis)
      throws IOException, InterruptedException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    run(
        List.of(
            "--screenshot=" + file.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            "--virtual-time-budget=" + budgetMillis,
            url));
  }

  private static String run(List<String> args) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY
              + " is missing: install Debian's chromium (apt-get install chromium chromium-driver),"
              + " as .ci/run does");
    }
    Path profile = Files.createTempDirectory("taskpool-chromium");
    List<String> command =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    command.addAll(args);
    Path stderr = profile.resolve("stderr.txt");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not finish within 60 s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "chromium exited with "
              + process.exitValue()
              + ": "
              + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
