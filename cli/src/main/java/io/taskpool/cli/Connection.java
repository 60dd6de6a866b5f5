package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the queue is: the Kafka cluster and the queue's name, beside the namespace. {@code -k
 * key=value} and {@code kafka.*} in the {@code --config} file pass through to the Kafka clients
 * untouched.
 */
final class Connection extends NamespaceOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (env TASKPOOL_KAFKA_BOOTSTRAP)")
  String bootstrapServers;

  @Option(names = "--queue", paramLabel = "NAME", description = "task queue (env TASKPOOL_QUEUE; default default)")
  String queue;

  @Option(names = {"-k", "--kafka"}, paramLabel = "KEY=VALUE", description = "Kafka client property passed through, repeatable, e.g. -k security.protocol=SASL_SSL (secrets belong in --config)")
  Map<String, String> kafka = new LinkedHashMap<>();

  KafkaSettings kafkaSettings() {
    String bootstrap = pick(bootstrapServers, EnvironmentVariables.KAFKA_BOOTSTRAP, "bootstrap.servers");
    if (bootstrap == null) {
      throw new InvalidOptionException("no Kafka cluster: pass --bootstrap-servers or set TASKPOOL_KAFKA_BOOTSTRAP");
    }
    Properties merged = new Properties();
    merged.putAll(file());
    merged.setProperty("bootstrap.servers", bootstrap);
    kafka.forEach((key, value) -> merged.setProperty(KafkaSettings.PASS_THROUGH_PREFIX + key, value));
    return KafkaSettings.fromProperties(merged);
  }

  String queue() {
    String name = pick(queue, EnvironmentVariables.QUEUE, "queue");
    return name == null ? "default" : name;
  }

  /** Fails fast, in one line, when no broker listens at the first bootstrap address. */
  void requireReachableKafka(KafkaSettings settings) {
    String first = settings.bootstrapServers().split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) {
      throw new InvalidOptionException("bootstrap server '" + first + "' needs host:port");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))), 3_000);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidOptionException("cannot reach Kafka at " + first + ": " + e.getMessage());
    }
  }
}
