package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server distribution ({@code target/taskpool.jar} and {@code target/lib}) as an operator runs
 * it: lean, with the user's task jar loaded through {@code --tasks}, secrets off command lines.
 */
@ExtendWith(LocalClusterExtension.class)
class ServerDistributionIT {
  private static final Path JAR = Path.of("target", "taskpool.jar");
  private static final Path LIB = Path.of("target", "lib");
  private static final Path EXAMPLES = Path.of("..", "examples", "target", "taskpool-examples.jar");
  private static final String SECRET = "s3cret-" + System.nanoTime();

  @Test
  void theRuntimeClassPathHoldsNoTestKitBrokerBenchmarkOrJUnitJar() throws IOException {
    List<String> jars;
    long bytes;
    try (Stream<Path> files = Files.list(LIB)) {
      List<Path> all = files.toList();
      jars = all.stream().map(p -> p.getFileName().toString()).sorted().toList();
      bytes = Files.size(JAR);
      for (Path jar : all) {
        bytes += Files.size(jar);
      }
    }
    System.out.printf("server distribution: %d jars, %.1f MB%n", jars.size() + 1, bytes / 1e6);

    assertThat(jars)
        .noneMatch(
            j ->
                j.startsWith("kafka_")
                    || j.startsWith("kafka-server")
                    || j.startsWith("kafka-test"))
        .noneMatch(
            j ->
                j.startsWith("taskpool-testkit")
                    || j.startsWith("taskpool-bench")
                    || j.startsWith("taskpool-devtools"))
        .noneMatch(
            j ->
                j.startsWith("junit")
                    || j.startsWith("testcontainers")
                    || j.startsWith("embedded-redis")
                    || j.startsWith("scala-"));
    assertThat(jars)
        .anyMatch(j -> j.startsWith("kafka-clients"))
        .anyMatch(j -> j.startsWith("taskpool-coordinator"));
    // 35 MB measured (kafka-clients 10.9 MB and its compression codecs 9.5 MB are most of it).
    assertThat(bytes).isLessThan(37_000_000L);
  }

  @Test
  void aTaskJarBuiltByTheExamplesProjectRunsInACoordinatorPoolAndNoSecretReachesACommandLineOrLog(
      LocalCluster cluster) throws Exception {
    String ns = LocalCluster.uniqueNamespace("dist");
    String host = "dist-host";
    Path workerDir =
        Path.of(System.getProperty("java.io.tmpdir"), "taskpool-" + ns + "-default-" + host);
    // Given the server distribution's coordinator with the examples' jar and a secret Kafka setting
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
            + " password=\""
            + SECRET
            + "\";";
    try (JvmProcess coordinator =
        JvmProcess.startJar(
            JAR,
            List.of("-Xmx256m"),
            List.of(
                "coordinator",
                "--bootstrap-servers",
                cluster.kafkaBootstrap(),
                "--namespace",
                ns,
                "--host-id",
                host,
                "--min-workers",
                "1",
                "--max-workers",
                "1",
                "--status-port",
                "0",
                "--tasks",
                EXAMPLES.toString(),
                "-k",
                "sasl.jaas.config=" + jaas),
            Path.of("target", "dist-coordinator-" + ns + ".log"))) {
      // When inputs are mapped to the examples' square (over long)
      CliRun mapped =
          CompletableFuture.supplyAsync(
                  () ->
                      run(
                          "1\n2\n3000000000\n",
                          "map",
                          "square",
                          "--bootstrap-servers",
                          cluster.kafkaBootstrap(),
                          "--namespace",
                          ns))
              .get(2, TimeUnit.MINUTES);

      // Then the results come back from the pool
      assertThat(mapped.exit).as(mapped.err + coordinator.output()).isZero();
      assertThat(mapped.out.lines()).containsExactly("1", "4", "9000000000000000000");

      // And the secret is on no worker's command line, in no log; the settings file is the owner's
      // only
      List<ProcessHandle> workers =
          ProcessHandle.of(coordinator.pid()).orElseThrow().children().toList();
      assertThat(workers).isNotEmpty();
      for (ProcessHandle worker : workers) {
        String cmdline =
            Files.readString(
                Path.of("/proc", String.valueOf(worker.pid()), "cmdline"),
                StandardCharsets.ISO_8859_1);
        assertThat(cmdline).contains("WorkerMain").doesNotContain(SECRET);
      }
      assertThat(coordinator.output()).doesNotContain(SECRET);
      try (Stream<Path> files = Files.list(workerDir)) {
        for (Path file : files.toList()) {
          if (file.toString().endsWith(".properties")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
          } else {
            assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                .as(file.toString())
                .doesNotContain(SECRET);
          }
        }
      }
    }
  }

  @Test
  void aWorkerSaysWhatItServesWhenItStartsAndWhatItDidWhenItIsDrained(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("dist-worker");
    try (JvmProcess worker =
        JvmProcess.startJar(
            JAR,
            List.of("-Xmx256m"),
            List.of(
                "worker",
                "--bootstrap-servers",
                cluster.kafkaBootstrap(),
                "--namespace",
                ns,
                "--worker-id",
                "w1",
                "--concurrency",
                "3",
                "--tasks",
                EXAMPLES.toString()),
            Path.of("target", "dist-worker-" + ns + ".log"))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> worker.output().contains("SIGTERM drains"));
      assertThat(worker.output())
          .contains(
              "taskpool worker w1: serving "
                  + ns
                  + "/default (PARTITIONED mode, consumer group "
                  + ns
                  + ".workers.default) at "
                  + cluster.kafkaBootstrap()
                  + " with 3 handler thread(s)")
          .contains("  tasks: add, echo, print, sleep-ms, square");

      CliRun mapped =
          run(
              "1\n2\n3\n",
              "map",
              "square",
              "--chunk-size",
              "1",
              "--bootstrap-servers",
              cluster.kafkaBootstrap(),
              "--namespace",
              ns);
      assertThat(mapped.out.lines()).as(mapped.err).containsExactly("1", "4", "9");

      // 143: a JVM's exit code after SIGTERM, once its shutdown hook (the drain) is done
      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
      assertThat(worker.output())
          .containsPattern(
              "taskpool worker w1: stopped after running 3 task record\\(s\\) \\(a chunk counts"
                  + " once\\) in \\d+s; drained in \\d+\\.\\d s");
    }
  }

  @Test
  void aMissingTasksPathIsAOneLineError() {
    CliRun result =
        run(null, "worker", "--tasks", "/no/such/tasks.jar", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .isEqualTo("taskpool: --tasks /no/such/tasks.jar: no such file or directory");
  }

  @Test
  void aJarWithoutATaskModuleIsAOneLineError(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("not-tasks.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("readme.txt"));
      out.write("no TaskModule here".getBytes(StandardCharsets.UTF_8));
    }

    CliRun result =
        run(null, "coordinator", "--tasks", jar.toString(), "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .doesNotContain("\n")
        .startsWith("taskpool: ")
        .contains("no META-INF/services/io.taskpool.worker.TaskModule entry");
  }

  private static CliRun run(String stdin, String... args) {
    return CliRun.of(stdin, args);
  }
}
