package io.taskpool.core;

import java.util.Collection;
import java.util.Map;
import java.util.Properties;

/**
 * Checks the keys of a flat settings file or command line: a key nobody reads is an error naming it
 * and the closest known key (a typo must not silently fall back to a default), and a {@code
 * kafka.*} key whose value taskpool's guarantees depend on cannot be overridden.
 */
public final class SettingKeys {
  private SettingKeys() {}

  /**
   * @param known the keys that are read
   * @param protectedKafkaKeys pass-through keys ({@code kafka.} stripped) that may not be set, each
   *     with the reason
   * @throws InvalidOptionException naming the first unknown or protected key
   */
  public static void check(
      Properties settings, Collection<String> known, Map<String, String> protectedKafkaKeys) {
    for (String key : settings.stringPropertyNames().stream().sorted().toList()) {
      if (key.startsWith(KafkaSettings.PASS_THROUGH_PREFIX)) {
        String kafkaKey = key.substring(KafkaSettings.PASS_THROUGH_PREFIX.length());
        String why = protectedKafkaKeys.get(kafkaKey);
        if (why != null) {
          throw new InvalidOptionException(key + " cannot be overridden: " + why);
        }
      } else if (!known.contains(key)) {
        throw new InvalidOptionException(
            "unknown setting '"
                + key
                + "'"
                + closest(key, known).map(c -> " (did you mean '" + c + "'?)").orElse(""));
      }
    }
  }

  /** The known key at the smallest edit distance from {@code key}, if any is close. */
  static java.util.Optional<String> closest(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(key, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3)
        ? java.util.Optional.ofNullable(best)
        : java.util.Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
