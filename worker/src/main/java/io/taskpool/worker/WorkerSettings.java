package io.taskpool.worker;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.InvalidOptionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every worker setting, declared once with its type, default and meaning, as Kafka's {@code
 * ConfigDef} declares a client's. {@link WorkerOptions#fromProperties} reads through it, unknown
 * keys are refused against it, the coordinator writes its workers' settings with its keys, {@code
 * taskpool worker --help} lists it, and the README's configuration table is {@link
 * #markdownTable()} (a test fails when they differ).
 */
public final class WorkerSettings {
  /** How a value is read; a value of the wrong shape is a one-line error naming the key. */
  public enum Type {
    STRING,
    INT,
    MILLIS,
    PATH,
    CHOICE
  }

  /**
   * One setting.
   *
   * @param defaultValue the value used when the key is absent, as it would be written; null when
   *     the default is not a fixed value ({@code defaultMeaning} says what it is) or there is none
   * @param defaultMeaning the default in words when it is not a fixed value, else null
   * @param environmentVariable the variable the command reads it from, or null
   */
  public record Setting(
      String key,
      Type type,
      String defaultValue,
      String defaultMeaning,
      String meaning,
      String environmentVariable) {
    /** The raw value in {@code p}, trimmed; empty when the key is absent. */
    public Optional<String> string(Properties p) {
      String value = p.getProperty(key);
      return value == null ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * @throws InvalidOptionException {@code <key> must be an integer, was '<value>'}
     */
    public Optional<Integer> intValue(Properties p) {
      return string(p).map(this::parseInt);
    }

    /** A whole number of milliseconds, as the {@code .ms} keys are written. */
    public Optional<Duration> millis(Properties p) {
      return string(p).map(v -> Duration.ofMillis(parseInt(v)));
    }

    private int parseInt(String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new InvalidOptionException(key + " must be an integer, was '" + value + "'");
      }
    }

    /**
     * The fixed default as a number; for {@link WorkerOptions}' builder, so the table and it agree.
     */
    int defaultInt() {
      return parseInt(defaultValue);
    }

    Duration defaultMillis() {
      return Duration.ofMillis(parseInt(defaultValue));
    }

    /** The default as the table shows it. */
    public String defaultText() {
      if (defaultValue != null) {
        return "`" + defaultValue + "`";
      }
      return defaultMeaning != null ? defaultMeaning : "—";
    }
  }

  public static final Setting BOOTSTRAP_SERVERS =
      new Setting(
          "bootstrap.servers",
          Type.STRING,
          null,
          null,
          "Kafka cluster",
          EnvironmentVariables.KAFKA_BOOTSTRAP);
  public static final Setting NAMESPACE =
      new Setting(
          "namespace",
          Type.STRING,
          "taskpool",
          null,
          "prefix of every topic and group",
          EnvironmentVariables.NAMESPACE);
  public static final Setting QUEUE =
      new Setting(
          "queue",
          Type.STRING,
          "default",
          null,
          "which task topic to serve",
          EnvironmentVariables.QUEUE);
  public static final Setting WORKER_ID =
      new Setting(
          "worker.id",
          Type.STRING,
          null,
          "`host-pid`",
          "name in replies, dead letters and stop commands",
          null);
  public static final Setting CONCURRENCY =
      new Setting("concurrency", Type.INT, null, "cores", "handler threads", null);
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "max.in.flight",
          Type.INT,
          "2000",
          null,
          "handed-out, unfinished tasks at most; of those, only as many wait to start as the"
              + " threads can start within ~50 ms at the observed task time (at least one per"
              + " thread)",
          null);
  public static final Setting RETRY_MAX_ATTEMPTS =
      new Setting(
          "retry.max.attempts",
          Type.INT,
          String.valueOf(RetryPolicy.DEFAULT.maxAttempts()),
          null,
          "attempts of a failing task (exponential backoff between them), then the dead-letter"
              + " topic",
          null);
  public static final Setting RETRY_BACKOFF_MS =
      new Setting(
          "retry.backoff.ms",
          Type.MILLIS,
          String.valueOf(RetryPolicy.DEFAULT.initialBackoff().toMillis()),
          null,
          "the first backoff; each next one doubles",
          null);
  public static final Setting DRAIN_TIMEOUT_MS =
      new Setting(
          "drain.timeout.ms",
          Type.MILLIS,
          "30000",
          null,
          "how long a stop waits for in-flight tasks",
          null);
  public static final Setting COMMIT_INTERVAL_MS =
      new Setting(
          "commit.interval.ms",
          Type.MILLIS,
          "200",
          null,
          "how often finished offsets are committed",
          null);
  public static final Setting TASK_PARTITIONS =
      new Setting(
          "task.partitions",
          Type.INT,
          String.valueOf(io.taskpool.core.Namespace.DEFAULT_TASK_PARTITIONS),
          null,
          "partitions when the worker creates the task topic",
          null);
  public static final Setting QUEUE_MODE =
      new Setting(
          "queue.mode",
          Type.CHOICE,
          "PARTITIONED",
          null,
          "`SHARED` joins the queue's share group instead (see Queue modes)",
          null);
  public static final Setting MAX_TASKS =
      new Setting(
          "max.tasks",
          Type.INT,
          "0",
          null,
          "drain and exit after this many tasks (Python's `maxtasksperchild`; the coordinator"
              + " starts a fresh one); 0: no limit",
          null);
  public static final Setting STATUS_FILE =
      new Setting(
          "status.file",
          Type.PATH,
          null,
          null,
          "file rewritten every second with `tasks.done=N` (the coordinator sets it)",
          null);
  public static final Setting HOST_ID =
      new Setting(
          "host.id",
          Type.STRING,
          null,
          "the host name",
          "the `host` label of the worker's metrics (a coordinator passes its `--host-id`)",
          null);
  public static final Setting METRICS_PORT =
      new Setting(
          "metrics.port",
          Type.INT,
          "-1",
          null,
          "serve the worker's metrics as Prometheus text on `http://<host>:<port>/metrics` (-1:"
              + " none; 0: any free port, printed in the start banner)",
          null);
  public static final Setting METRICS_FILE =
      new Setting(
          "metrics.file",
          Type.PATH,
          null,
          null,
          "file rewritten every second with that text (the coordinator sets it and sums its"
              + " workers' into its own `/metrics`)",
          null);
  public static final Setting SOFT_TIME_LIMIT_MS =
      new Setting(
          "soft.time.limit.ms",
          Type.MILLIS,
          null,
          "none",
          "per attempt: past it the handler's thread is interrupted and the attempt fails with"
              + " `TaskTimeoutException` (retried, then dead-lettered)",
          null);
  public static final Setting TIME_LIMIT_MS =
      new Setting(
          "time.limit.ms",
          Type.MILLIS,
          null,
          "none",
          "per attempt, hard: a handler still running is abandoned, its task re-queued with the"
              + " attempt counted (dead-lettered after the last), and the worker exits with code 3"
              + " to be replaced",
          null);
  public static final Setting GROUP_PROTOCOL =
      new Setting(
          "group.protocol",
          Type.CHOICE,
          "classic",
          null,
          "`consumer` joins with KIP-848's protocol (Kafka 4.0+; falls back to classic on older"
              + " brokers)",
          null);

  /** Every setting, in the order the README and {@code --help} list them. */
  public static final List<Setting> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          NAMESPACE,
          QUEUE,
          WORKER_ID,
          CONCURRENCY,
          MAX_IN_FLIGHT,
          RETRY_MAX_ATTEMPTS,
          RETRY_BACKOFF_MS,
          DRAIN_TIMEOUT_MS,
          COMMIT_INTERVAL_MS,
          TASK_PARTITIONS,
          QUEUE_MODE,
          MAX_TASKS,
          STATUS_FILE,
          HOST_ID,
          METRICS_PORT,
          METRICS_FILE,
          SOFT_TIME_LIMIT_MS,
          TIME_LIMIT_MS,
          GROUP_PROTOCOL);

  /** The prefix of settings passed to every Kafka client untouched. */
  public static final String KAFKA_PREFIX = "kafka.";

  private WorkerSettings() {}

  /** Every declared key, in table order. */
  public static Set<String> keys() {
    return ALL.stream().map(Setting::key).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The README's worker configuration table, rendered from the declarations. */
  public static String markdownTable() {
    StringBuilder table = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    for (Setting s : ALL) {
      String key =
          "`"
              + s.key()
              + "`"
              + (s.environmentVariable() != null ? " (`" + s.environmentVariable() + "`)" : "");
      table
          .append("| ")
          .append(key)
          .append(" | ")
          .append(s.defaultText())
          .append(" | ")
          .append(s.meaning())
          .append(" |\n");
    }
    table.append(
        "| `kafka.*` | — | passed to every Kafka client untouched"
            + " (`kafka.security.protocol=SASL_SSL`, `kafka.sasl.jaas.config=...`) |\n");
    return table.toString();
  }

  /**
   * The settings as {@code --help} lists them: key, then meaning and default wrapped under it
   * within 80 columns.
   */
  public static List<String> helpLines() {
    int indent = 2 + ALL.stream().mapToInt(s -> s.key().length()).max().orElse(0) + 2;
    List<String> lines = new ArrayList<>();
    for (Setting s : ALL) {
      String text =
          s.meaning().replace("`", "")
              + (s.defaultText().equals("—")
                  ? ""
                  : " (default " + s.defaultText().replace("`", "") + ")");
      StringBuilder line = new StringBuilder("  " + s.key());
      for (String word : text.split(" ")) {
        if (line.length() < indent) {
          line.append(" ".repeat(indent - line.length())).append(word);
        } else if (line.length() + 1 + word.length() > 79) {
          lines.add(line.toString());
          line = new StringBuilder(" ".repeat(indent)).append(word);
        } else {
          line.append(' ').append(word);
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
