package io.taskpool.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running {@code mainClass} on this JVM's class path: how tests, the demo and the
 * benchmarks get real worker processes to kill, stop and measure.
 */
public final class JvmProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private JvmProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with {@code jvmOptions} and {@code args}; output goes to {@code log}.
   */
  public static JvmProcess start(
      String mainClass, List<String> jvmOptions, List<String> args, Path log) {
    List<String> command = new ArrayList<>();
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(args);
    return launch(command, log, mainClass);
  }

  /**
   * Starts {@code mainClass} on this JVM's class path behind {@code prefix}, e.g. {@code ip netns
   * exec NAME} to run it on another (simulated) host.
   */
  public static JvmProcess startBehind(
      List<String> prefix, String mainClass, List<String> jvmOptions, List<String> args, Path log) {
    List<String> command = new ArrayList<>(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(args);
    return launch(prefix, command, log, mainClass);
  }

  /**
   * Starts {@code mainClass} on {@code classPath} (another program's jars, e.g. another Kafka
   * release).
   */
  public static JvmProcess startWithClassPath(
      String classPath, String mainClass, List<String> jvmOptions, List<String> args, Path log) {
    List<String> command = new ArrayList<>(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    return launch(command, log, mainClass);
  }

  /**
   * Runs {@code java -jar jar args}: a distribution as an operator starts it, with its own class
   * path.
   */
  public static JvmProcess startJar(
      Path jar, List<String> jvmOptions, List<String> args, Path log) {
    List<String> command = new ArrayList<>(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    return launch(command, log, jar.toString());
  }

  private static JvmProcess launch(List<String> javaArgs, Path log, String what) {
    return launch(List.of(), javaArgs, log, what);
  }

  private static JvmProcess launch(
      List<String> prefix, List<String> javaArgs, Path log, String what) {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaArgs);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new JvmProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a JVM for " + what, e);
    }
  }

  /** This JVM's class path as a child JVM needs it (the real one under surefire/failsafe too). */
  public static String currentClassPath() {
    return classPath();
  }

  private static String classPath() {
    // Surefire and failsafe put the test class path here when they fork with a manifest jar.
    String testClassPath = System.getProperty("surefire.test.class.path");
    return testClassPath != null && !testClassPath.isBlank()
        ? testClassPath
        : System.getProperty("java.class.path");
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is drained. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
  }

  /** SIGTERM: the process runs its shutdown hooks (workers drain). */
  public void terminate() {
    process.destroy();
  }

  /** Sends a POSIX signal by name (STOP, CONT, ...) with kill(1). */
  public void signal(String name) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
  public void stop(Duration grace) {
    terminate();
    if (waitFor(grace) == -1) {
      kill();
    }
  }

  /** Waits for exit; returns the exit code, or -1 if still running after {@code timeout}. */
  public int waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Resident set size from /proc (Linux), in bytes. */
  public long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the RSS of pid " + pid(), e);
    }
    throw new IllegalStateException("no VmRSS for pid " + pid());
  }

  public Path log() {
    return log;
  }

  /** The process's output so far, for assertion messages. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
  }
}
