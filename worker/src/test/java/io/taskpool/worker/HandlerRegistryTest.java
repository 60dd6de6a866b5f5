package io.taskpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandlerRegistryTest {
  private final JsonCodec json = new JsonCodec();
  private final HandlerRegistry registry = new HandlerRegistry(json);

  @Test
  void aHandlerGetsItsInputDecodedToTheDeclaredType() throws Exception {
    registry.register("square", Integer.class, n -> n * n);

    assertThat(invoke("square", "7")).isEqualTo(49);
  }

  @Test
  void aTwoArgumentHandlerTakesAJsonPair() throws Exception {
    registry.register("add", Integer.class, Integer.class, Integer::sum);

    assertThat(invoke("add", "[2, 3]")).isEqualTo(5);
    assertThatThrownBy(() -> invoke("add", "[2]"))
        .isInstanceOf(NonRetriableTaskException.class)
        .hasMessageContaining("two arguments");
  }

  @Test
  void anInputOfTheWrongShapeIsNotRetriable() {
    registry.register("square", Integer.class, n -> n * n);

    assertThatThrownBy(() -> invoke("square", "{\"a\":1}"))
        .isInstanceOf(NonRetriableTaskException.class);
  }

  @Test
  void registeringANameTwiceIsAnError() {
    registry.register("square", Integer.class, n -> n * n);

    assertThatThrownBy(() -> registry.register("square", Integer.class, n -> n))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("'square'");
  }

  @Test
  void payloadsNamingAClassDoNotInstantiateIt() throws Exception {
    // Default typing is off: a class name in the payload is just data.
    registry.register("echo", Object.class, o -> o.getClass().getName());

    Object result = invoke("echo", "[\"java.net.URL\", \"http://example.invalid\"]");

    assertThat(result).isEqualTo("java.util.ArrayList");
  }

  private Object invoke(String task, String payload) throws Exception {
    HandlerRegistry.RegisteredHandler handler = registry.find(task);
    return handler.invoke(json.decode(bytes(payload), handler.inputType()));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
