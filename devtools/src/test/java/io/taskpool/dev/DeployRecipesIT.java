package io.taskpool.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.internal.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The deploy recipes run as written: {@code deploy/local/start.sh} brings up the cluster, the
 * systemd units' exact command lines (without systemd: their {@code ExecStart} with {@code
 * /opt/taskpool} being this build's server distribution and {@code /etc/taskpool/env} a file of
 * this test) run a coordinator and a worker, a map is submitted from the host, and everything stops
 * as systemd and {@code stop.sh} stop it.
 */
class DeployRecipesIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern STATUS_LINE =
      Pattern.compile("coordinator test-host: status on http://localhost:(\\d+)/");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @Test
  void theLocalClusterRecipeAndTheSystemdCommandLinesServeAMapFromTheHostAndStopCleanly()
      throws Exception {
    // Under target/, not a temporary directory: the processes' logs stay for whoever reads a
    // failure
    Path dir =
        Files.createDirectories(
                Path.of("target", "deploy-recipes", LocalCluster.uniqueNamespace("run")))
            .toAbsolutePath();
    int kafkaPort = FreePorts.next();
    int redisPort = FreePorts.next();
    Path opt = Files.createDirectories(dir.resolve("opt/taskpool/tasks"));
    Files.copy(
        ROOT.resolve("examples/target/taskpool-examples.jar"),
        opt.resolve("taskpool-examples.jar"));
    Map<String, String> localEnv = Map.of("TASKPOOL_LOCAL_DIR", dir.toString());

    // Given the cluster of deploy/local/start.sh, on ports of this test
    Process start =
        process(
            List.of(
                "sh",
                ROOT.resolve("deploy/local/start.sh").toString(),
                "127.0.0.1",
                String.valueOf(kafkaPort),
                String.valueOf(redisPort)),
            localEnv,
            dir.resolve("start.out"));
    assertThat(start.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String started = Files.readString(dir.resolve("start.out"));
    assertThat(start.exitValue()).as(started).isZero();
    assertThat(started)
        .contains("TASKPOOL_KAFKA_BOOTSTRAP=127.0.0.1:" + kafkaPort)
        .contains("TASKPOOL_REDIS_URL=redis://127.0.0.1:" + redisPort);
    Process coordinator = null;
    Process worker = null;
    try {
      // And /etc/taskpool/env as an operator writes it
      String ns = LocalCluster.uniqueNamespace("deploy");
      Map<String, String> env = new LinkedHashMap<>();
      env.put(EnvironmentVariables.KAFKA_BOOTSTRAP, "127.0.0.1:" + kafkaPort);
      env.put(EnvironmentVariables.REDIS_URL, "redis://127.0.0.1:" + redisPort);
      env.put(EnvironmentVariables.NAMESPACE, ns);
      // 0: any free port, read back from the coordinator's first line (a port picked up front
      // could be taken meanwhile, e.g. as the local port of one of its own Kafka connections)
      env.put(EnvironmentVariables.STATUS_PORT, "0");

      // When the units' command lines start a coordinator and one worker instance
      coordinator =
          process(
              execStart("taskpool-coordinator.service", opt.getParent(), null),
              env,
              dir.resolve("coordinator.log"));
      worker =
          process(
              execStart("taskpool-worker@.service", opt.getParent(), "1"),
              env,
              dir.resolve("worker.log"));
      Path coordinatorLog = dir.resolve("coordinator.log");
      Path workerLog = dir.resolve("worker.log");
      awaitOrExplain(
          "the coordinator's status line",
          coordinator,
          coordinatorLog,
          () -> STATUS_LINE.matcher(Files.readString(coordinatorLog)).find());
      Matcher line = STATUS_LINE.matcher(Files.readString(coordinatorLog));
      assertThat(line.find()).isTrue();
      int statusPort = Integer.parseInt(line.group(1));
      awaitOrExplain(
          "the coordinator ready", coordinator, coordinatorLog, () -> readyz(statusPort) == 200);
      awaitOrExplain(
          "the worker started",
          worker,
          workerLog,
          () -> Files.readString(workerLog).contains("SIGTERM drains"));

      // Then a map from the host is served
      Process map =
          process(
              List.of(
                  java(),
                  "-jar",
                  ROOT.resolve("cli/target/taskpool.jar").toString(),
                  "map",
                  "square"),
              env,
              dir.resolve("map.out"));
      map.getOutputStream().write("1\n2\n3000000000\n".getBytes(StandardCharsets.UTF_8));
      map.getOutputStream().close();
      assertThat(map.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(Files.readString(dir.resolve("map.out")).lines())
          .as("map's output")
          .containsExactly("1", "4", "9000000000000000000");
      assertThat(map.exitValue()).isZero();

      // And both stop as systemd stops them (KillSignal=SIGTERM; 143 is in SuccessExitStatus)
      coordinator.destroy();
      worker.destroy();
      assertThat(coordinator.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(coordinator.exitValue())
          .as(Files.readString(dir.resolve("coordinator.log")))
          .isEqualTo(143);
      assertThat(worker.exitValue()).as(Files.readString(dir.resolve("worker.log"))).isEqualTo(143);
      assertThat(Files.readString(dir.resolve("worker.log")))
          .contains("taskpool worker test-host-1: stopped after running");
    } finally {
      for (Process p : new Process[] {coordinator, worker}) {
        if (p != null && p.isAlive()) {
          p.destroyForcibly();
        }
      }
      long clusterPid =
          Long.parseLong(Files.readString(dir.resolve(".taskpool-cluster.pid")).trim());
      Process stop =
          process(
              List.of("sh", ROOT.resolve("deploy/local/stop.sh").toString()),
              localEnv,
              dir.resolve("stop.out"));
      assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ProcessHandle.of(clusterPid).map(ProcessHandle::isAlive).orElse(false))
          .as("the cluster of start.sh after stop.sh")
          .isFalse();
    }
  }

  /**
   * Waits for {@code condition} while {@code process} lives; a process that exits, or one that is
   * still short of it after two minutes, fails with its log and (when alive) its threads, so a
   * failure on a CI machine says where the process stood.
   */
  private static void awaitOrExplain(
      String what, Process process, Path log, Callable<Boolean> condition) throws Exception {
    try {
      await(what).atMost(Duration.ofMinutes(2)).until(() -> condition.call() || !process.isAlive());
    } catch (ConditionTimeoutException timedOut) {
      throw new AssertionError(
          what
              + ": not within 2 minutes; its log:\n"
              + Files.readString(log)
              + "\nits threads:\n"
              + threads(process),
          timedOut);
    }
    if (!condition.call()) {
      throw new AssertionError(
          what
              + ": the process exited ("
              + process.exitValue()
              + "); its log:\n"
              + Files.readString(log));
    }
  }

  private static String threads(Process process) throws IOException, InterruptedException {
    Process dump =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()),
                "Thread.print")
            .redirectErrorStream(true)
            .start();
    String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    dump.waitFor(30, TimeUnit.SECONDS);
    return text;
  }

  /** A unit's ExecStart with /opt/taskpool at {@code opt}, this JVM's java, %H and %i filled in. */
  private static List<String> execStart(String unit, Path opt, String instance) throws IOException {
    String line =
        Files.readAllLines(ROOT.resolve("deploy/systemd").resolve(unit)).stream()
            .filter(l -> l.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow()
            .substring("ExecStart=".length());
    Files.copy(
        ROOT.resolve("cli/target/taskpool.jar"),
        opt.resolve("taskpool.jar"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (!Files.exists(opt.resolve("lib"))) {
      Files.createSymbolicLink(opt.resolve("lib"), ROOT.resolve("cli/target/lib"));
    }
    List<String> command = new ArrayList<>();
    for (String word : line.trim().split("\\s+")) {
      command.add(
          word.replace("/usr/bin/java", java())
              .replace("/opt/taskpool", opt.toString())
              .replace("%H", "test-host")
              .replace("%i", instance == null ? "" : instance));
    }
    return command;
  }

  private static Process process(List<String> command, Map<String, String> env, Path output)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    EnvironmentVariables.ALL.forEach(builder.environment()::remove);
    builder.environment().putAll(env);
    return builder.start();
  }

  private static int readyz(int port) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
