package io.taskpool.core;

import java.util.regex.Pattern;

/**
 * Prefix of every Kafka topic, consumer group and Redis key taskpool touches, so several
 * applications (or test runs) share one cluster without seeing each other's data.
 *
 * <p>Topic layout (see docs/wire-format.md): {@code <ns>.tasks.<queue>}, {@code <ns>.dlq.<queue>},
 * {@code <ns>.replies.<client>}, {@code <ns>.control}; workers of a queue form the consumer group
 * {@code <ns>.workers.<queue>}.
 */
public record Namespace(String name) {
  // Declared before DEFAULT: static fields initialise in order, and DEFAULT's constructor uses it.
  private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  /**
   * Partitions of a task topic taskpool creates: divisible by 1, 2, 3, 4 and 6, so a pool of that
   * many workers splits a backlog of slow tasks evenly (a {@code PARTITIONED} worker can only run
   * its own partitions' tasks).
   */
  public static final int DEFAULT_TASK_PARTITIONS = 12;

  /** Namespace used when none is configured. */
  public static final Namespace DEFAULT = new Namespace("taskpool");

  public Namespace {
    requireName("namespace", name);
  }

  public static Namespace of(String name) {
    return new Namespace(name);
  }

  /** The topic tasks of {@code queue} are submitted to. */
  public String taskTopic(String queue) {
    return name + ".tasks." + requireName("queue", queue);
  }

  /** Where tasks of {@code queue} that failed for good are kept, with their error. */
  public String deadLetterTopic(String queue) {
    return name + ".dlq." + requireName("queue", queue);
  }

  /** The one partition topic every worker of this namespace watches for stop commands. */
  public String controlTopic() {
    return name + ".control";
  }

  /** The private reply topic of one client instance. */
  public String replyTopic(String clientId) {
    return name + ".replies." + requireName("client id", clientId);
  }

  /** The consumer group shared by the workers of {@code queue}. */
  public String workerGroup(String queue) {
    return name + ".workers." + requireName("queue", queue);
  }

  /**
   * The share group of {@code queue}'s workers in {@link QueueMode#SHARED} mode; a group id has one
   * type for good, so it differs from the classic group's.
   */
  public String shareGroup(String queue) {
    return name + ".shared." + requireName("queue", queue);
  }

  /**
   * The consumer group in which {@code taskpool dlq replay} remembers how far it replayed {@code
   * queue}'s dead letters, so each is replayed once.
   */
  public String deadLetterReplayGroup(String queue) {
    return name + ".dlq-replay." + requireName("queue", queue);
  }

  /** A Redis key under this namespace. */
  public String redisKey(String... parts) {
    return name + ":" + String.join(":", parts);
  }

  /**
   * Checks a name that becomes part of a topic name; Kafka allows at most 249 legal characters.
   *
   * @throws InvalidOptionException naming {@code what} when the name is empty or illegal
   */
  public static String requireName(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidOptionException(what + " must not be empty");
    }
    if (value.length() > 180 || !LEGAL.matcher(value).matches()) {
      throw new InvalidOptionException(
          what
              + " '"
              + value
              + "' is not a legal topic part: use up to 180 letters, digits, '_', '-' and"
              + " single dots");
    }
    return value;
  }

  @Override
  public String toString() {
    return name;
  }
}
