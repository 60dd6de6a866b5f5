package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.redis.RedisSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the cluster is, shared by every command. Each setting comes from its flag, else the
 * environment, else {@code --config} (a properties file with the same keys as the worker's).
 * {@code -k key=value} and {@code kafka.*} in the file pass through to the Kafka clients untouched.
 */
final class Connection {
  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (env TASKPOOL_KAFKA_BOOTSTRAP)")
  String bootstrapServers;

  @Option(names = "--redis-url", description = "redis:// or rediss:// URL (env TASKPOOL_REDIS_URL)")
  String redisUrl;

  @Option(names = "--redisson-config", description = "Redisson YAML config (Sentinel, Cluster, TLS details), used instead of --redis-url")
  Path redissonConfig;

  @Option(names = "--namespace", description = "prefix of topics, groups and keys (env TASKPOOL_NAMESPACE; default taskpool)")
  String namespace;

  @Option(names = "--queue", description = "task queue (env TASKPOOL_QUEUE; default default)")
  String queue;

  @Option(names = "--config", description = "properties file: bootstrap.servers, redis.url, namespace, queue, kafka.*")
  Path configFile;

  @Option(names = {"-k", "--kafka"}, description = "Kafka client property passed through, e.g. -k security.protocol=SASL_SSL")
  Map<String, String> kafka = new LinkedHashMap<>();

  private Properties file;

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

  /** Redis if one is configured (flag, environment or file), else null. */
  RedisSettings redisSettingsIfConfigured() {
    return redissonConfig != null || pick(redisUrl, EnvironmentVariables.REDIS_URL, "redis.url") != null ? redisSettings() : null;
  }

  RedisSettings redisSettings() {
    if (redissonConfig != null) {
      return RedisSettings.fromConfigFile(redissonConfig);
    }
    String url = pick(redisUrl, EnvironmentVariables.REDIS_URL, "redis.url");
    if (url == null) {
      throw new InvalidOptionException("no Redis: pass --redis-url or set TASKPOOL_REDIS_URL");
    }
    return RedisSettings.fromUrl(url);
  }

  Namespace namespace() {
    String name = pick(namespace, EnvironmentVariables.NAMESPACE, "namespace");
    return name == null ? Namespace.DEFAULT : Namespace.of(name);
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

  private String pick(String flag, String env, String key) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return file().getProperty(key);
  }

  private Properties file() {
    if (file == null) {
      file = new Properties();
      if (configFile != null) {
        try (InputStream in = Files.newInputStream(configFile)) {
          file.load(in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read --config " + configFile + ": " + e.getMessage(), e);
        }
      }
    }
    return file;
  }
}
