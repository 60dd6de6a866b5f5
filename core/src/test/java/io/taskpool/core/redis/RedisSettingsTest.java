package io.taskpool.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.InvalidOptionException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

/**
 * {@link RedisSettings#fromUrl}: the one reading of a Redis URL, for clients, messages and probes
 * alike.
 */
class RedisSettingsTest {

  @Test
  void aUrlWithoutPortMeansRedissDefaultPortEverywhere() {
    RedisSettings settings = RedisSettings.fromUrl("redis://cache.example");

    assertThat(settings.address())
        .contains(InetSocketAddress.createUnresolved("cache.example", 6379));
    assertThat(settings.where()).isEqualTo("redis://cache.example:6379");
    assertThat(settings.toRedissonConfig().useSingleServer().getAddress())
        .isEqualTo("redis://cache.example:6379");
  }

  @Test
  void userPasswordAndDatabaseReachTheClientButNeverTheMessages() {
    RedisSettings settings = RedisSettings.fromUrl("rediss://alice:p%40ss@cache.example:6390/3");

    Config config = settings.toRedissonConfig();
    assertThat(config.getUsername()).isEqualTo("alice");
    assertThat(config.getPassword()).isEqualTo("p@ss");
    assertThat(config.useSingleServer().getDatabase()).isEqualTo(3);
    assertThat(config.useSingleServer().getAddress()).isEqualTo("rediss://cache.example:6390");
    assertThat(settings.user()).isEqualTo("alice");
    assertThat(settings.where()).isEqualTo("rediss://cache.example:6390/3");
    assertThat(settings.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
  }

  @Test
  void userInfoWithoutColonIsAPasswordForTheDefaultUser() {
    RedisSettings settings = RedisSettings.fromUrl("redis://s3cret@cache.example");

    assertThat(settings.toRedissonConfig().getPassword()).isEqualTo("s3cret");
    assertThat(settings.user()).isEqualTo("default");
  }

  @Test
  void aDatabaseThatIsNotANumberIsRefusedWhenTheUrlIsRead() {
    assertThatThrownBy(() -> RedisSettings.fromUrl("redis://cache.example/zero"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("Redis URL database 'zero' is not a number");
  }

  @Test
  void aRefusedUrlIsEchoedWithItsPasswordMasked() {
    assertThatThrownBy(() -> RedisSettings.fromUrl("http://alice:s3cret@cache.example:6379"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(
            "Redis URL 'http://alice:***@cache.example:6379' must start with redis:// or"
                + " rediss://");
    assertThatThrownBy(() -> RedisSettings.fromUrl("s3cret@cache.example:6379"))
        .hasMessageStartingWith("Redis URL '***@cache.example:6379' ")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisSettings.fromUrl("redis://alice:s3 cret@cache.example"))
        .hasMessageStartingWith("Redis URL 'redis://alice:***@cache.example' is malformed")
        .hasMessageNotContaining("s3");
  }

  @Test
  void aConfigFileHasNoSingleAddress() {
    assertThat(RedisSettings.fromConfigFile(java.nio.file.Path.of("redisson.yaml")).address())
        .isEmpty();
  }
}
