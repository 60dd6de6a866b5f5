package io.taskpool.cli;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as people type them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} (or ISO-8601,
 * {@code PT5M}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SIMPLE.matcher(value.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
      return positive(d, value);
    }
    try {
      return positive(Duration.parse(value.trim()), value);
    } catch (DateTimeParseException e) {
      throw new InvalidOptionException(
          "'" + value + "' is not a duration: use e.g. 30s, 5m, 1h or 500ms");
    }
  }

  private static Duration positive(Duration d, String value) {
    if (d.isZero() || d.isNegative()) {
      throw new InvalidOptionException("'" + value + "' must be a positive duration");
    }
    return d;
  }

  /** "5m", "30s", "500ms": how the commands print a duration back. */
  static String format(Duration d) {
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1_000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
