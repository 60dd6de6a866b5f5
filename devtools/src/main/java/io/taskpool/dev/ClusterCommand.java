package io.taskpool.dev;

import io.taskpool.testkit.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A real KRaft broker and Redis for development, without Docker; runs until stopped (SIGTERM). */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Run a development Kafka broker (KRaft, one node, no auth; topics are created on first use,"
          + " as Kafka does by default) and Redis until stopped.",
      "It prints the TASKPOOL_* settings the other commands read."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  taskpool cluster",
      "  taskpool cluster --host 192.168.1.10    (other hosts join it)"
    })
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "HOST",
      description = "address other hosts use to reach this one; default ${DEFAULT-VALUE}")
  String host;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "the broker's port; default ${DEFAULT-VALUE}")
  int kafkaPort;

  @Option(
      names = "--redis-port",
      paramLabel = "PORT",
      defaultValue = "6380",
      description =
          "Redis's port (not 6379, where a system Redis often runs); default ${DEFAULT-VALUE}")
  int redisPort;

  @Override
  public void run() {
    requireFree(kafkaPort, "--kafka-port");
    requireFree(redisPort, "--redis-port");
    CountDownLatch stopped = new CountDownLatch(1);
    try (LocalCluster cluster =
        LocalCluster.startDevelopment(
            Files.createTempDirectory("taskpool-cluster"), host, kafkaPort, redisPort)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      spec.commandLine().getOut().println("TASKPOOL_KAFKA_BOOTSTRAP=" + cluster.kafkaBootstrap());
      spec.commandLine().getOut().println("TASKPOOL_REDIS_URL=" + cluster.redisUrl());
      spec.commandLine().getOut().flush();
      stopped.await();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A busy port is one line naming it, before the broker's start logs pages of bind errors. */
  private void requireFree(int port, String option) {
    String listenHost =
        "127.0.0.1".equals(host) || "localhost".equals(host) ? "127.0.0.1" : "0.0.0.0";
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(listenHost, port));
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "port "
              + port
              + " is in use on "
              + listenHost
              + " (is a cluster already running?); pick another with "
              + option);
    }
  }
}
