package io.taskpool.coordinator.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's {@code /metrics}: its own meters, then its workers' (each writes Prometheus
 * text to a file every second), summed series by series, so the pool reads as one: {@code
 * taskpool_tasks_succeeded_total{task="square",...}} is what all of this host's workers did. The
 * series carry no worker id, which changes with every restart and would grow the label set without
 * bound; to keep counters from dropping when a worker goes, the last counts of each worker that
 * left are kept and added ({@link #retire}). A worker killed outright loses at most its last second
 * of counts. Thread-safe.
 */
public final class PoolMetrics {
  private static final Logger log = LoggerFactory.getLogger(PoolMetrics.class);
  // Types whose samples only grow, so a departed worker's last values stay part of the sum.
  private static final Set<String> CUMULATIVE = Set.of("counter", "histogram");

  private final Map<String, Family> retired = new LinkedHashMap<>();

  /** Keeps the cumulative counts of a worker that has exited, from its last metrics file. */
  public synchronized void retire(Path workerFile) {
    for (Family family : parse(read(workerFile)).values()) {
      if (CUMULATIVE.contains(family.type)) {
        retired.computeIfAbsent(family.name, n -> family.emptyCopy()).add(family);
      }
    }
  }

  /**
   * {@code own} (the coordinator's scrape) followed by the sum of the live workers' files and the
   * retired counts.
   */
  public synchronized String render(String own, Collection<Path> liveWorkerFiles) {
    Map<String, Family> pool = new LinkedHashMap<>();
    for (Family family : retired.values()) {
      pool.computeIfAbsent(family.name, n -> family.emptyCopy()).add(family);
    }
    for (Path file : liveWorkerFiles) {
      for (Family family : parse(read(file)).values()) {
        pool.computeIfAbsent(family.name, n -> family.emptyCopy()).add(family);
      }
    }
    StringBuilder text = new StringBuilder(own);
    if (!own.isEmpty() && !own.endsWith("\n")) {
      text.append('\n');
    }
    pool.values().forEach(family -> family.appendTo(text));
    return text.toString();
  }

  /** Families of a Prometheus text exposition, samples keyed by their series (name and labels). */
  static Map<String, Family> parse(String text) {
    Map<String, Family> families = new LinkedHashMap<>();
    Family current = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        String[] parts = line.substring(7).split(" ", 2);
        current = families.computeIfAbsent(parts[0], Family::new);
        current.help = parts.length > 1 ? parts[1] : "";
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ", 2);
        current = families.computeIfAbsent(parts[0], Family::new);
        current.type = parts.length > 1 ? parts[1].trim() : "untyped";
      } else if (!line.isBlank() && !line.startsWith("#") && current != null) {
        int space = line.lastIndexOf(' ');
        if (space > 0) {
          current.samples.merge(
              line.substring(0, space), value(line.substring(space + 1)), Double::sum);
        }
      }
    }
    return families;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      log.debug("cannot read worker metrics {}: {}", file, e.getMessage());
      return "";
    }
  }

  /** One metric family: its help, its type and its samples. */
  static final class Family {
    final String name;
    String help = "";
    String type = "untyped";
    final Map<String, Double> samples = new LinkedHashMap<>();

    Family(String name) {
      this.name = name;
    }

    Family emptyCopy() {
      Family copy = new Family(name);
      copy.help = help;
      copy.type = type;
      return copy;
    }

    void add(Family other) {
      other.samples.forEach((series, value) -> samples.merge(series, value, Double::sum));
    }

    void appendTo(StringBuilder text) {
      text.append("# HELP ").append(name).append(' ').append(help).append('\n');
      text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      samples.forEach(
          (series, value) -> text.append(series).append(' ').append(format(value)).append('\n'));
    }

    private static String format(double value) {
      if (Double.isInfinite(value)) {
        return value > 0 ? "+Inf" : "-Inf";
      }
      return value == Math.rint(value) && Math.abs(value) < 1e15
          ? (long) value + ".0"
          : Double.toString(value);
    }
  }
}
