package io.taskpool.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  @Test
  void userPassThroughPropertiesWinOverTaskpoolDefaults() {
    KafkaSettings settings =
        KafkaSettings.of("b:1").with("linger.ms", "20").with("security.protocol", "SSL");

    Properties config = settings.clientConfig(Map.of("linger.ms", 0, "acks", "all"));

    assertThat(config)
        .containsEntry("linger.ms", "20")
        .containsEntry("acks", "all")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("bootstrap.servers", "b:1");
  }

  @Test
  void toStringHidesPassThroughValuesThatMayBeSecrets() {
    KafkaSettings settings =
        KafkaSettings.of("b:1").with("sasl.jaas.config", "password=\"hunter2\"");

    assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }
}
