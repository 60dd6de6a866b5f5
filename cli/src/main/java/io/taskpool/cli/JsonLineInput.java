package io.taskpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.json.JsonCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The inputs of {@code map}: one JSON value per non-empty line of stdin, read lazily (so the input
 * may be endless), with a read-ahead to learn the input's length where it is short. It remembers
 * the line number of each input until the result is accounted for ({@link #settle}), so a failure
 * can name its lines; that memory is bounded by the map's window.
 *
 * <p>A line that is not one JSON value either ends the input there ({@code badLine} null: the map
 * finishes what came before, then {@link #failure()} names the line) or is reported to {@code
 * badLine} and skipped.
 */
final class JsonLineInput implements Iterator<JsonNode> {
  private final BufferedReader reader;
  private final Consumer<String> badLine;
  private final JsonCodec json = new JsonCodec();
  private final ArrayDeque<JsonNode> readAhead = new ArrayDeque<>();
  // Line numbers of inputs read and not yet settled, in input order; shared with the reader thread.
  private final ArrayDeque<Integer> pendingLines = new ArrayDeque<>();
  private int lineNumber;
  private volatile long count;
  private volatile boolean exhausted;
  private volatile long skipped;
  private InvalidOptionException failure;

  JsonLineInput(BufferedReader reader, Consumer<String> badLine) {
    this.reader = reader;
    this.badLine = badLine;
  }

  /** Reads up to {@code limit} inputs ahead; true when the input ended within them. */
  boolean readAhead(long limit) {
    while (readAhead.size() < limit) {
      JsonNode value = read();
      if (value == null) {
        return true;
      }
      readAhead.add(value);
    }
    return false;
  }

  @Override
  public boolean hasNext() {
    if (!readAhead.isEmpty()) {
      return true;
    }
    JsonNode value = read();
    if (value == null) {
      return false;
    }
    readAhead.add(value);
    return true;
  }

  @Override
  public JsonNode next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return readAhead.poll();
  }

  /** Inputs read so far (all of them once {@link #exhausted()}). */
  long count() {
    return count;
  }

  boolean exhausted() {
    return exhausted;
  }

  /** Lines skipped as not JSON. */
  long skipped() {
    return skipped;
  }

  /** The line that ended the input early, if one did. */
  InvalidOptionException failure() {
    return failure;
  }

  /**
   * Accounts for the next {@code inputs} inputs; returns their lines, e.g. "line 7" or "lines
   * 1001-2000".
   */
  String settle(int inputs) {
    int first;
    int last;
    synchronized (pendingLines) {
      first = pendingLines.isEmpty() ? 0 : pendingLines.peek();
      last = first;
      for (int i = 0; i < inputs && !pendingLines.isEmpty(); i++) {
        last = pendingLines.poll();
      }
    }
    return first == last ? "line " + first : "lines " + first + "-" + last;
  }

  private JsonNode read() {
    if (exhausted) {
      return null;
    }
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode value;
        try {
          value = json.tree(line.getBytes(StandardCharsets.UTF_8));
        } catch (NonRetriableTaskException e) {
          String problem =
              "stdin line " + lineNumber + " is not one JSON value: " + abbreviate(line);
          if (badLine == null) {
            failure = new InvalidOptionException(problem);
            break;
          }
          skipped++;
          badLine.accept(problem);
          continue;
        }
        synchronized (pendingLines) {
          pendingLines.add(lineNumber);
        }
        count++;
        return value;
      }
      exhausted = true;
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
