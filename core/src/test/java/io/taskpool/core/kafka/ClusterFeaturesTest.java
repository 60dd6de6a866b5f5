package io.taskpool.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.UnsupportedClusterException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterFeaturesTest {
  private static final ClusterFeatures KAFKA_3_9 =
      new ClusterFeatures(Map.of("metadata.version", (short) 21, "kraft.version", (short) 0));
  private static final ClusterFeatures KAFKA_4_4 =
      new ClusterFeatures(
          Map.of(
              "metadata.version",
              (short) 33,
              "group.version",
              (short) 1,
              "share.version",
              (short) 1));

  @Test
  void theReleaseIsReadFromTheMetadataVersionLevel() {
    assertThat(KAFKA_3_9.release()).isEqualTo("3.9");
    assertThat(KAFKA_4_4.release()).isEqualTo("4.4");
    assertThat(ClusterFeatures.releaseOfMetadataLevel((short) 25)).isEqualTo("4.0");
    assertThat(ClusterFeatures.releaseOfMetadataLevel((short) 40)).isEqualTo("4.5 or later");
    assertThat(ClusterFeatures.releaseOfMetadataLevel((short) 3))
        .isEqualTo("a release before 3.3 (metadata.version 3)");
    assertThat(new ClusterFeatures(Map.of()).release()).contains("ZooKeeper");
  }

  @Test
  void a39ClusterHasNeitherShareGroupsNorTheConsumerGroupProtocol() {
    assertThat(KAFKA_3_9.shareGroups()).isFalse();
    assertThat(KAFKA_3_9.consumerGroupProtocol()).isFalse();
    assertThat(KAFKA_4_4.shareGroups()).isTrue();
    assertThat(KAFKA_4_4.consumerGroupProtocol()).isTrue();
  }

  @Test
  void sharedModeOnA39ClusterIsRefusedInOneLineNamingTheFeatureTheVersionAndWhatToDo() {
    assertThatThrownBy(KAFKA_3_9::requireShareGroups)
        .isInstanceOf(UnsupportedClusterException.class)
        .hasMessage(
            "SHARED mode needs brokers with share groups (Kafka 4.2+, share.version=1); this"
                + " cluster reports Kafka 3.9 with no share.version feature: use PARTITIONED mode"
                + " or upgrade the brokers");
  }

  @Test
  void shareGroupsSwitchedOffAreNamedWithTheirLevel() {
    ClusterFeatures off =
        new ClusterFeatures(Map.of("metadata.version", (short) 31, "share.version", (short) 0));

    assertThatThrownBy(off::requireShareGroups)
        .hasMessageContaining("reports Kafka 4.4 with share.version=0");
  }
}
