package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.redis.RedisSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.Config;

/**
 * {@code --redis-truststore}: a file named on the command line, its password only in the
 * environment.
 */
class RedisTruststoreOptionTest {
  @TempDir Path dir;

  @Test
  void givenTheFileAndItsPasswordInTheEnvironmentTheClientTrustsThatStore() throws IOException {
    Path store = Files.createFile(dir.resolve("ca.p12"));
    RedisConnection redis =
        connection(
            "rediss://cache.example:6390",
            store.toString(),
            Map.of(EnvironmentVariables.REDIS_TRUSTSTORE_PASSWORD, "changeit"));

    Config config = redis.settings(new NamespaceOptions()).toRedissonConfig();

    assertThat(config.getSslTruststore()).isEqualTo(store.toUri().toURL());
    assertThat(config.getSslTruststorePassword()).isEqualTo("changeit");
  }

  @Test
  void theFileMayComeFromTheEnvironmentToo() throws IOException {
    Path store = Files.createFile(dir.resolve("ca.p12"));
    RedisConnection redis =
        connection(
            "rediss://cache.example:6390",
            null,
            Map.of(
                EnvironmentVariables.REDIS_TRUSTSTORE,
                store.toString(),
                EnvironmentVariables.REDIS_TRUSTSTORE_PASSWORD,
                "changeit"));

    assertThat(redis.settings(new NamespaceOptions()).toRedissonConfig().getSslTruststore())
        .isEqualTo(store.toUri().toURL());
  }

  @Test
  void aMissingFileIsOneLineNamingTheOptionAndThePath() {
    Path missing = dir.resolve("no-such-ca.p12");

    CliRun result =
        CliRun.of(
            null,
            "counter",
            "get",
            "hits",
            "--redis-url",
            "rediss://127.0.0.1:1",
            "--redis-truststore",
            missing.toString());

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .isEqualTo("taskpool: --redis-truststore " + missing + ": no such file");
  }

  @Test
  void withoutThePasswordVariableTheErrorSaysWhereThePasswordGoes() throws IOException {
    Path store = Files.createFile(dir.resolve("ca.p12"));
    RedisConnection redis = connection("rediss://cache.example:6390", store.toString(), Map.of());

    assertThatThrownBy(() -> redis.settings(new NamespaceOptions()))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(
            "--redis-truststore "
                + store
                + " needs its password in TASKPOOL_REDIS_TRUSTSTORE_PASSWORD (never on the command"
                + " line)");
  }

  @Test
  void aTruststoreForAPlainRedisUrlIsRefusedRatherThanIgnored() throws IOException {
    Path store = Files.createFile(dir.resolve("ca.p12"));
    RedisConnection redis =
        connection(
            "redis://cache.example:6390",
            store.toString(),
            Map.of(EnvironmentVariables.REDIS_TRUSTSTORE_PASSWORD, "changeit"));

    assertThatThrownBy(() -> redis.settings(new NamespaceOptions()))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(
            "--redis-truststore "
                + store
                + ": a Redis truststore needs a rediss:// URL (TLS), not"
                + " redis://cache.example:6390");
  }

  @Test
  void aTruststoreWithARedissonConfigPointsToTheConfigsOwnSetting() throws IOException {
    Path store = Files.createFile(dir.resolve("ca.p12"));
    RedisConnection redis =
        connection(
            null,
            store.toString(),
            Map.of(EnvironmentVariables.REDIS_TRUSTSTORE_PASSWORD, "changeit"));
    redis.redissonConfig = dir.resolve("redisson.yaml");

    assertThatThrownBy(() -> redis.settings(new NamespaceOptions()))
        .hasMessage(
            "--redis-truststore applies to --redis-url; with --redisson-config set sslTruststore in"
                + " "
                + redis.redissonConfig);
  }

  @Test
  void aTruststoreWithoutAnyRedisIsAnError() throws IOException {
    // No TASKPOOL_REDIS_URL here: surefire keeps it out of this JVM (cli/pom.xml).
    assertThat(System.getenv(EnvironmentVariables.REDIS_URL)).isNull();
    Path store = Files.createFile(dir.resolve("ca.p12"));
    RedisConnection redis = connection(null, store.toString(), Map.of());

    assertThatThrownBy(() -> redis.settingsIfConfigured(new NamespaceOptions()))
        .hasMessage(
            "--redis-truststore without Redis: pass --redis-url rediss://... or set"
                + " TASKPOOL_REDIS_URL");
  }

  @Test
  void noRedisAndNoTruststoreMeansNoRedis() {
    // No TASKPOOL_REDIS_URL here: surefire keeps it out of this JVM (cli/pom.xml).
    assertThat(System.getenv(EnvironmentVariables.REDIS_URL)).isNull();
    RedisSettings none =
        connection(null, null, Map.of()).settingsIfConfigured(new NamespaceOptions());

    assertThat(none).isNull();
  }

  @Test
  void thePasswordHasNoFlag() {
    String usage = TaskpoolCli.commandLine().getSubcommands().get("coordinator").getUsageMessage();

    assertThat(usage)
        .contains("--redis-truststore=PATH")
        .contains("TASKPOOL_REDIS_TRUSTSTORE_PASSWORD")
        .doesNotContainPattern("--redis-truststore-password|--[a-z-]*password");
  }

  private static RedisConnection connection(
      String url, String truststore, Map<String, String> environment) {
    RedisConnection redis = new RedisConnection();
    redis.redisUrl = url;
    redis.redisTruststore = truststore;
    redis.environment = environment::get;
    return redis;
  }
}
