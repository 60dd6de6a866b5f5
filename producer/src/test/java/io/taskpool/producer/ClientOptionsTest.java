package io.taskpool.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
  @Test
  void defaultsAreDocumentedValues() {
    ClientOptions options = ClientOptions.builder().bootstrapServers("b:1").build();

    assertThat(options.namespace().name()).isEqualTo("taskpool");
    assertThat(options.queue()).isEqualTo("default");
    assertThat(options.window()).isEqualTo(10_000);
    assertThat(options.timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(options.clientId()).isNotBlank();
  }

  @Test
  void badValuesAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> ClientOptions.builder().bootstrapServers("b:1").window(0).build())
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("window");
    assertThatThrownBy(
            () -> ClientOptions.builder().bootstrapServers("b:1").timeout(Duration.ZERO).build())
        .hasMessageStartingWith("timeout");
    assertThatThrownBy(
            () -> ClientOptions.builder().bootstrapServers("b:1").queue("no spaces").build())
        .hasMessageStartingWith("queue");
    assertThatThrownBy(() -> MapOptions.builder().chunkSize(-1).build())
        .hasMessageStartingWith("chunkSize");
  }
}
