package io.taskpool.worker.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reply topics recently found missing. A send to a topic the broker does not have (and will not
 * auto-create) waits out the producer's metadata timeout on the sending thread; remembering the
 * answer for a while lets the next replies to it fail at once. Thread-safe.
 */
final class MissingTopics {
  private final long memoryNanos;
  private final Map<String, Long> foundMissingAt = new ConcurrentHashMap<>();

  MissingTopics(Duration memory) {
    this.memoryNanos = memory.toNanos();
  }

  void remember(String topic) {
    foundMissingAt.put(topic, System.nanoTime());
  }

  /** Why a reply to {@code topic} cannot go out now, or null when it should be tried. */
  String missing(String topic) {
    Long at = foundMissingAt.get(topic);
    if (at == null) {
      return null;
    }
    long ago = System.nanoTime() - at;
    if (ago >= memoryNanos) {
      foundMissingAt.remove(topic, at);
      return null;
    }
    return "reply topic "
        + topic
        + " does not exist (found missing "
        + Math.max(1, ago / 1_000_000_000L)
        + " s ago; workers never create reply topics)";
  }
}
