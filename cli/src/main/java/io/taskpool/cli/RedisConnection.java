package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.redis.RedisSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Redis is, for the commands that use it (coordinator, counter). */
final class RedisConnection {
  @Option(names = "--redis-url", paramLabel = "URL", description = "redis:// or rediss:// URL, e.g. redis://user@host:6379/0 (env TASKPOOL_REDIS_URL)")
  String redisUrl;

  @Option(names = "--redisson-config", paramLabel = "FILE", description = "Redisson YAML config (Sentinel, Cluster, TLS details), used instead of --redis-url")
  Path redissonConfig;

  /** Redis if one is configured (flag, environment or file), else null. */
  RedisSettings settingsIfConfigured(NamespaceOptions where) {
    return redissonConfig != null || where.pick(redisUrl, EnvironmentVariables.REDIS_URL, "redis.url") != null ? settings(where) : null;
  }

  RedisSettings settings(NamespaceOptions where) {
    if (redissonConfig != null) {
      return RedisSettings.fromConfigFile(redissonConfig);
    }
    String url = where.pick(redisUrl, EnvironmentVariables.REDIS_URL, "redis.url");
    if (url == null) {
      throw new InvalidOptionException("no Redis: pass --redis-url or set TASKPOOL_REDIS_URL");
    }
    return RedisSettings.fromUrl(url);
  }
}
