package io.taskpool.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RedisErrorsTest {
  private final RedisSettings alice =
      RedisSettings.fromUrl("redis://alice:s3cret@redis.example:6390/2");

  @Test
  void aWrongPasswordSaysSoNamingTheUserButNotThePassword() {
    Exception error =
        new ExecutionException(
            new RuntimeException(
                "org.redisson.client.RedisWrongPasswordException: WRONGPASS invalid"
                    + " username-password pair or user is disabled.. channel: [id: 0x1] data:"
                    + " CommandData"));

    assertThat(RedisErrors.connectFailure(alice, error))
        .isEqualTo(
            "Redis authentication failed for user alice at redis://redis.example:6390/2 (Redis"
                + " said: WRONGPASS invalid username-password pair or user is disabled)")
        .doesNotContain("s3cret");
  }

  @Test
  void aRefusedConnectionNamesTheAddress() {
    Exception error =
        new ExecutionException(
            new RuntimeException(
                "Unable to connect to Redis server", new ConnectException("Connection refused")));

    assertThat(RedisErrors.connectFailure(alice, error))
        .isEqualTo(
            "cannot reach Redis at redis://redis.example:6390/2: connection refused (is it running,"
                + " and is that its address?)");
  }

  @Test
  void withoutAUserInTheUrlTheUserIsRedissDefault() {
    assertThat(RedisSettings.fromUrl("redis://:pw@h:1").user()).isEqualTo("default");
    assertThat(RedisSettings.fromUrl("redis://h:1").user()).isEqualTo("default");
  }
}
