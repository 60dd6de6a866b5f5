package io.taskpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.core.kafka.ClusterFeatures;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;

/** Guards taskpool's copy of Kafka's release table against the broker jars of the build. */
class MetadataVersionTableTest {
  @Test
  void everyProductionMetadataVersionMapsToItsRelease() {
    for (MetadataVersion version : MetadataVersion.values()) {
      if (!version.isProduction()) {
        continue;
      }
      String release = version.version().substring(0, version.version().indexOf('-'));
      assertThat(ClusterFeatures.releaseOfMetadataLevel(version.featureLevel()))
          .as(version.version())
          .isEqualTo(release);
    }
  }
}
