package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.Namespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * What every command that reaches the cluster shares: the namespace and the {@code --config} file.
 * Each setting comes from its flag, else the environment, else that file (a properties file with
 * the same keys as the worker's). {@link Connection} adds Kafka, {@link RedisConnection} Redis, so
 * a command lists only the options it uses.
 */
class NamespaceOptions {
  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "prefix of topics, groups and keys (env TASKPOOL_NAMESPACE; default taskpool)")
  String namespace;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "properties file: bootstrap.servers, redis.url, namespace, queue, kafka.*")
  Path configFile;

  private Properties file;

  Namespace namespace() {
    String name = pick(namespace, EnvironmentVariables.NAMESPACE, "namespace");
    return name == null ? Namespace.DEFAULT : Namespace.of(name);
  }

  /** The flag if given, else the environment variable, else the {@code --config} file's key. */
  final String pick(String flag, String env, String key) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return file().getProperty(key);
  }

  final Properties file() {
    if (file == null) {
      file = new Properties();
      if (configFile != null) {
        try (InputStream in = Files.newInputStream(configFile)) {
          file.load(in);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot read --config " + configFile + ": " + e.getMessage(), e);
        }
      }
    }
    return file;
  }
}
