package io.taskpool.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.TaskpoolException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one JSON mapper of taskpool's payloads. Polymorphic default typing stays off, so bytes from
 * the network can only become the plain type the handler or caller asked for, never a class named
 * in the payload. Thread-safe.
 */
public final class JsonCodec {
  private final ObjectMapper mapper;
  // ObjectMapper.readValue looks the root deserializer up on every call; a reader per type skips
  // it.
  private final Map<JavaType, ObjectReader> readers = new ConcurrentHashMap<>();

  public JsonCodec() {
    this.mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // "1 2 3" is not the JSON value 1: a payload with data after its value is malformed.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new TaskpoolException(
          "cannot encode " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Decodes {@code json} into {@code type}.
   *
   * @throws NonRetriableTaskException when the bytes are not JSON of that type
   */
  public <T> T decode(byte[] json, JavaType type) {
    try {
      return readers.computeIfAbsent(type, mapper::readerFor).readValue(json);
    } catch (IOException e) {
      throw new NonRetriableTaskException(
          "malformed payload for " + type.toCanonical() + ": " + firstLine(e), e);
    }
  }

  public <T> T decode(byte[] json, Class<T> type) {
    return decode(json, mapper.constructType(type));
  }

  /** Decodes a JSON array whose elements are of {@code elementType}. */
  public <T> List<T> decodeList(byte[] json, JavaType elementType) {
    return decode(json, typeFactory().constructCollectionType(List.class, elementType));
  }

  public JsonNode tree(byte[] json) {
    return decode(json, JsonNode.class);
  }

  /** Binds a parsed JSON tree to {@code type}. */
  public <T> T convert(JsonNode value, JavaType type) {
    try {
      return mapper.treeToValue(value, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new NonRetriableTaskException(
          "malformed payload for " + type.toCanonical() + ": " + firstLine(e), e);
    }
  }

  public JavaType type(Class<?> type) {
    return mapper.constructType(type);
  }

  public TypeFactory typeFactory() {
    return mapper.getTypeFactory();
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
