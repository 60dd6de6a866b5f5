package io.taskpool.core.kafka;

import io.taskpool.core.UnsupportedClusterException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a Kafka cluster supports, from its finalized feature levels ({@code
 * Admin.describeFeatures}), read once when a worker, coordinator or CLI command starts so that a
 * mode the brokers cannot serve fails at once with one line instead of in a retry loop.
 *
 * <p>Kafka names no release on the wire; the {@code metadata.version} level says which release's
 * metadata the cluster runs, and that is the version reported here ("3.9" for level 21).
 */
public final class ClusterFeatures {
  /**
   * First {@code metadata.version} feature level of each release (Kafka's {@code MetadataVersion}).
   */
  private static final NavigableMap<Short, String> RELEASE_BY_METADATA_LEVEL = releases();

  private final Map<String, Short> finalized;

  public ClusterFeatures(Map<String, Short> finalizedMaxLevels) {
    this.finalized = Map.copyOf(finalizedMaxLevels);
  }

  private static NavigableMap<Short, String> releases() {
    NavigableMap<Short, String> releases = new TreeMap<>();
    String[] names = {
      "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5"
    };
    short[] firstLevels = {7, 8, 9, 12, 15, 20, 21, 22, 26, 28, 30, 31, 34};
    for (int i = 0; i < names.length; i++) {
      releases.put(firstLevels[i], names[i]);
    }
    return releases;
  }

  /** The finalized level of {@code feature}, empty when the cluster does not have it. */
  public Optional<Short> level(String feature) {
    return Optional.ofNullable(finalized.get(feature));
  }

  /**
   * The Kafka release whose metadata the cluster runs ("3.9", "4.4"), or a phrase saying why it is
   * unknown (a ZooKeeper cluster or one before 3.3 has no {@code metadata.version}).
   */
  public String release() {
    Optional<Short> metadata = level("metadata.version");
    if (metadata.isEmpty()) {
      return "a release before 3.3 or in ZooKeeper mode (no metadata.version)";
    }
    return releaseOfMetadataLevel(metadata.get());
  }

  /**
   * "3.9" for {@code metadata.version} level 21; levels past the newest known say "... or later".
   */
  public static String releaseOfMetadataLevel(short level) {
    Map.Entry<Short, String> release = RELEASE_BY_METADATA_LEVEL.floorEntry(level);
    if (release == null) {
      return "a release before 3.3 (metadata.version " + level + ")";
    }
    return level > RELEASE_BY_METADATA_LEVEL.lastKey()
        ? release.getValue() + " or later"
        : release.getValue();
  }

  /** The KIP-848 consumer group protocol: {@code group.version} 1+ (Kafka 4.0+). */
  public boolean consumerGroupProtocol() {
    return level("group.version").orElse((short) 0) >= 1;
  }

  /** Share groups (KIP-932): {@code share.version} 1+ (GA in Kafka 4.2). */
  public boolean shareGroups() {
    return level("share.version").orElse((short) 0) >= 1;
  }

  /** Throws, naming what is missing and what to do, unless the cluster serves share groups. */
  public void requireShareGroups() {
    if (shareGroups()) {
      return;
    }
    String seen =
        level("share.version").map(v -> "share.version=" + v).orElse("no share.version feature");
    throw new UnsupportedClusterException(
        "SHARED mode needs brokers with share groups (Kafka 4.2+, share.version=1); this cluster"
            + " reports Kafka "
            + release()
            + " with "
            + seen
            + ": use PARTITIONED mode or upgrade the brokers");
  }

  @Override
  public String toString() {
    return "Kafka " + release() + " " + new TreeMap<>(finalized);
  }
}
