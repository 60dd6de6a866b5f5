package io.taskpool.dev;

import io.taskpool.testkit.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A real KRaft broker and Redis for development, without Docker; runs until stopped (SIGTERM). */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Run a development Kafka broker (KRaft) and Redis until stopped.")
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "address other hosts use to reach this one (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "default ${DEFAULT-VALUE}")
  int kafkaPort;

  @Option(names = "--redis-port", defaultValue = "6380", description = "default ${DEFAULT-VALUE}")
  int redisPort;

  @Override
  public void run() {
    CountDownLatch stopped = new CountDownLatch(1);
    try (LocalCluster cluster = LocalCluster.startEmbedded(Files.createTempDirectory("taskpool-cluster"), host, kafkaPort, redisPort)) {
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
}
