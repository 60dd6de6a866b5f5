package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.redis.RedisSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Where Redis is, for the commands that use it (coordinator, counter). The truststore's password
 * comes from the environment only: a flag would show it to every local user through {@code ps}.
 */
final class RedisConnection {
  static final String TRUSTSTORE_OPTION = "--redis-truststore";

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description =
          "redis:// or rediss:// URL, e.g. redis://user@host:6379/0 (env TASKPOOL_REDIS_URL)")
  String redisUrl;

  @Option(
      names = "--redisson-config",
      paramLabel = "FILE",
      description =
          "Redisson YAML config (Sentinel, Cluster, TLS details), used instead of --redis-url")
  Path redissonConfig;

  @Option(
      names = TRUSTSTORE_OPTION,
      paramLabel = "PATH",
      description =
          "PKCS12 or JKS file of the CAs a rediss:// server's certificate may chain to, instead of"
              + " the JVM's (env TASKPOOL_REDIS_TRUSTSTORE); its password comes only from env"
              + " TASKPOOL_REDIS_TRUSTSTORE_PASSWORD")
  String redisTruststore;

  // System.getenv, replaced in tests.
  UnaryOperator<String> environment = System::getenv;

  /** Redis if one is configured (flag, environment or file), else null. */
  RedisSettings settingsIfConfigured(NamespaceOptions where) {
    if (redissonConfig != null
        || where.pick(redisUrl, EnvironmentVariables.REDIS_URL, "redis.url") != null) {
      return settings(where);
    }
    if (truststore() != null) {
      throw new InvalidOptionException(
          TRUSTSTORE_OPTION
              + " without Redis: pass --redis-url rediss://... or set TASKPOOL_REDIS_URL");
    }
    return null;
  }

  RedisSettings settings(NamespaceOptions where) {
    RedisSettings settings;
    if (redissonConfig != null) {
      settings = RedisSettings.fromConfigFile(redissonConfig);
    } else {
      String url = where.pick(redisUrl, EnvironmentVariables.REDIS_URL, "redis.url");
      if (url == null) {
        throw new InvalidOptionException("no Redis: pass --redis-url or set TASKPOOL_REDIS_URL");
      }
      settings = RedisSettings.fromUrl(url);
    }
    String truststore = truststore();
    return truststore == null ? settings : withTruststore(settings, Path.of(truststore));
  }

  private RedisSettings withTruststore(RedisSettings settings, Path file) {
    if (redissonConfig != null) {
      throw new InvalidOptionException(
          TRUSTSTORE_OPTION
              + " applies to --redis-url; with --redisson-config set sslTruststore in "
              + redissonConfig);
    }
    if (!Files.exists(file)) {
      throw new InvalidOptionException(TRUSTSTORE_OPTION + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InvalidOptionException(TRUSTSTORE_OPTION + " " + file + ": not a readable file");
    }
    String password = environment.apply(EnvironmentVariables.REDIS_TRUSTSTORE_PASSWORD);
    if (password == null) {
      throw new InvalidOptionException(
          TRUSTSTORE_OPTION
              + " "
              + file
              + " needs its password in "
              + EnvironmentVariables.REDIS_TRUSTSTORE_PASSWORD
              + " (never on the command line)");
    }
    try {
      return settings.withTruststore(file, password);
    } catch (InvalidOptionException e) {
      throw new InvalidOptionException(TRUSTSTORE_OPTION + " " + file + ": " + e.getMessage());
    }
  }

  private String truststore() {
    if (redisTruststore != null && !redisTruststore.isBlank()) {
      return redisTruststore;
    }
    String fromEnv = environment.apply(EnvironmentVariables.REDIS_TRUSTSTORE);
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }
}
