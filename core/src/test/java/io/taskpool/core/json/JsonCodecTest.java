package io.taskpool.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.NonRetriableTaskException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final JsonCodec json = new JsonCodec();

  @Test
  void aPayloadWithDataAfterItsValueIsMalformedNotTheFirstValue() {
    assertThatThrownBy(() -> json.decode(bytes("1 2 3"), Long.class))
        .isInstanceOf(NonRetriableTaskException.class)
        .hasMessageStartingWith("malformed payload for java.lang.Long");
    assertThatThrownBy(() -> json.tree(bytes("{\"a\":1} x")))
        .isInstanceOf(NonRetriableTaskException.class);
  }

  @Test
  void whitespaceAroundTheValueIsFine() {
    assertThat(json.decode(bytes(" 7 \n"), Long.class)).isEqualTo(7L);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
