package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Where the queue is: the Kafka cluster and the queue's name, beside the namespace. {@code -k
 * key=value} and {@code kafka.*} in the {@code --config} file pass through to the Kafka clients
 * untouched.
 */
final class Connection extends NamespaceOptions {
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (env TASKPOOL_KAFKA_BOOTSTRAP)")
  String bootstrapServers;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      description = "task queue (env TASKPOOL_QUEUE; default default)")
  String queue;

  @Option(
      names = {"-k", "--kafka"},
      paramLabel = "KEY=VALUE",
      description =
          "Kafka client property passed through, repeatable, e.g. -k security.protocol=SASL_SSL"
              + " (secrets belong in --config)")
  Map<String, String> kafka = new LinkedHashMap<>();

  KafkaSettings kafkaSettings() {
    String bootstrap =
        pick(bootstrapServers, EnvironmentVariables.KAFKA_BOOTSTRAP, "bootstrap.servers");
    if (bootstrap == null) {
      throw new InvalidOptionException(
          "no Kafka cluster: pass --bootstrap-servers or set TASKPOOL_KAFKA_BOOTSTRAP");
    }
    Properties merged = new Properties();
    merged.putAll(file());
    merged.setProperty("bootstrap.servers", bootstrap);
    kafka.forEach(
        (key, value) -> merged.setProperty(KafkaSettings.PASS_THROUGH_PREFIX + key, value));
    return KafkaSettings.fromProperties(merged);
  }

  String queue() {
    String name = pick(queue, EnvironmentVariables.QUEUE, "queue");
    return name == null ? "default" : name;
  }

  /** Fails fast, in one line, when no broker listens at the first bootstrap address. */
  void requireReachableKafka(KafkaSettings settings) {
    String first = firstBootstrap(settings);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host(first), port(first)), 3_000);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidOptionException("cannot reach Kafka at " + first + ": " + e.getMessage());
    }
  }

  /**
   * As {@link #requireReachableKafka}, but a server's way: waits for the broker, see {@link
   * StartupWait}.
   */
  void awaitReachableKafka(KafkaSettings settings, Duration patience, Consumer<String> say) {
    String first = firstBootstrap(settings);
    StartupWait.untilReachable("Kafka at " + first, host(first), port(first), patience, say);
  }

  private static String firstBootstrap(KafkaSettings settings) {
    String first = settings.bootstrapServers().split(",")[0].trim();
    if (first.lastIndexOf(':') < 0) {
      throw new InvalidOptionException("bootstrap server '" + first + "' needs host:port");
    }
    return first;
  }

  private static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  private static int port(String hostPort) {
    try {
      return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      throw new InvalidOptionException("bootstrap server '" + hostPort + "' needs a numeric port");
    }
  }
}
