package io.taskpool.worker.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The headers of a delivered task record, in record order; a key may occur more than once, and the
 * last occurrence is the one that counts ({@link #lastValue}). Immutable: values are copied in and
 * out, so a source may reuse its buffers and a handler cannot change what the next reader sees.
 *
 * <pre>{@code
 * TaskHeaders headers = TaskHeaders.builder().add("taskpool.task", "square").build();
 * headers.lastValue("taskpool.task"); // "square"
 * }</pre>
 */
public final class TaskHeaders implements Iterable<TaskHeaders.Header> {
  private static final TaskHeaders EMPTY = new TaskHeaders(new String[0], new byte[0][]);

  private final String[] keys;
  private final byte[][] values;

  private TaskHeaders(String[] keys, byte[][] values) {
    this.keys = keys;
    this.values = values;
  }

  public static TaskHeaders empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The last value of {@code key} as a UTF-8 string, or null when absent or null-valued. */
  public String lastValue(String key) {
    int i = lastIndexOf(key);
    return i < 0 || values[i] == null ? null : new String(values[i], StandardCharsets.UTF_8);
  }

  /** A copy of the last value of {@code key}, or null when absent or null-valued. */
  public byte[] lastBytes(String key) {
    int i = lastIndexOf(key);
    return i < 0 ? null : copy(values[i]);
  }

  public int size() {
    return keys.length;
  }

  /** Every header in record order, repeated keys included. */
  @Override
  public Iterator<Header> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < keys.length;
      }

      @Override
      public Header next() {
        if (next >= keys.length) {
          throw new NoSuchElementException();
        }
        Header header = new Header(keys[next], values[next]);
        next++;
        return header;
      }
    };
  }

  private int lastIndexOf(String key) {
    for (int i = keys.length - 1; i >= 0; i--) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] copy(byte[] value) {
    return value == null ? null : value.clone();
  }

  @Override
  public String toString() {
    return "TaskHeaders" + Arrays.toString(keys);
  }

  /** One header: a non-null key and a value that may be null. */
  public record Header(String key, byte[] value) {
    public Header {
      if (key == null) {
        throw new IllegalArgumentException("a header key must not be null");
      }
      value = copy(value);
    }

    /** A copy of the value, or null. */
    @Override
    public byte[] value() {
      return copy(value);
    }

    /** The value as a UTF-8 string, or null. */
    public String stringValue() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
      return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return key + "=" + (value == null ? "null" : value.length + " bytes");
    }
  }

  /** Collects headers in order; not thread-safe. */
  public static final class Builder {
    private String[] keys = new String[4];
    private byte[][] values = new byte[4][];
    private int size;

    private Builder() {}

    /** Appends a header; {@code value} is copied and may be null. */
    public Builder add(String key, byte[] value) {
      if (key == null) {
        throw new IllegalArgumentException("a header key must not be null");
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = copy(value);
      size++;
      return this;
    }

    /** Appends a header whose value is {@code value} in UTF-8 (null stays null). */
    public Builder add(String key, String value) {
      return add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public TaskHeaders build() {
      return size == 0
          ? EMPTY
          : new TaskHeaders(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
    }
  }
}
