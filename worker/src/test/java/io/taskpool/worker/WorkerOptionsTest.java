package io.taskpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  @Test
  void propertiesSetOptionsAndPassKafkaSettingsThroughUntouched() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "broker:9093");
    p.setProperty("namespace", "shop");
    p.setProperty("concurrency", "3");
    p.setProperty("retry.max.attempts", "5");
    p.setProperty("drain.timeout.ms", "1500");
    p.setProperty("kafka.security.protocol", "SASL_SSL");
    p.setProperty("kafka.sasl.mechanism", "PLAIN");

    WorkerOptions options = WorkerOptions.fromProperties(p);

    assertThat(options.kafka().bootstrapServers()).isEqualTo("broker:9093");
    assertThat(options.kafka().clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(options.namespace().name()).isEqualTo("shop");
    assertThat(options.concurrency()).isEqualTo(3);
    assertThat(options.retry().maxAttempts()).isEqualTo(5);
    assertThat(options.drainTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aNonNumericSettingIsNamedInTheError() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "broker:9093");
    p.setProperty("concurrency", "lots");

    assertThatThrownBy(() -> WorkerOptions.fromProperties(p))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("concurrency must be an integer, was 'lots'");
  }

  @Test
  void validateNamesTheConflictingSettings() {
    assertThatThrownBy(
            () ->
                WorkerOptions.builder()
                    .bootstrapServers("b:1")
                    .concurrency(8)
                    .maxInFlight(4)
                    .build())
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("maxInFlight")
        .hasMessageContaining("concurrency");
  }

  @Test
  void missingKafkaSettingsAreReported() {
    assertThatThrownBy(() -> WorkerOptions.builder().build())
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    WorkerOptions options =
        WorkerOptions.builder()
            .bootstrapServers("b:1")
            .queue("emails")
            .workerId("w7")
            .concurrency(2)
            .build();
    WorkerOptions copy = options.toBuilder().build();

    assertThat(copy.queue()).isEqualTo("emails");
    assertThat(copy.workerId()).isEqualTo("w7");
    assertThat(copy.concurrency()).isEqualTo(2);
  }

  @Test
  void anUnknownKeyIsAnErrorNamingItAndTheClosestKnownKey() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "broker:9093");
    p.setProperty("concurrencey", "3");

    assertThatThrownBy(() -> WorkerOptions.fromProperties(p))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("unknown setting 'concurrencey' (did you mean 'concurrency'?)");
  }

  @Test
  void aKafkaSettingTheGuaranteesDependOnCannotBeOverridden() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "broker:9093");
    p.setProperty("kafka.enable.auto.commit", "true");

    assertThatThrownBy(() -> WorkerOptions.fromProperties(p))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(
            "kafka.enable.auto.commit cannot be overridden: a worker commits a task's offset only"
                + " after its result or dead letter was written");
    assertThatThrownBy(
            () ->
                WorkerOptions.builder()
                    .kafka(
                        io.taskpool.core.KafkaSettings.of("broker:9093").with("group.id", "mine"))
                    .build())
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("kafka.group.id cannot be overridden");
  }

  @Test
  void timeLimitsAndTheGroupProtocolAreRead() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "broker:9093");
    p.setProperty("soft.time.limit.ms", "500");
    p.setProperty("time.limit.ms", "2000");
    p.setProperty("group.protocol", "consumer");

    WorkerOptions options = WorkerOptions.fromProperties(p);

    assertThat(options.timeLimits())
        .isEqualTo(TimeLimits.of(Duration.ofMillis(500), Duration.ofSeconds(2)));
    assertThat(options.groupProtocol()).isEqualTo(GroupProtocol.CONSUMER);
  }

  @Test
  void theReadmesConfigurationTableIsTheDeclaredOne() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));

    assertThat(readme)
        .as("README.md's worker table; paste WorkerSettings.markdownTable() over it")
        .contains(WorkerSettings.markdownTable());
  }

  @Test
  void theBuildersDefaultsAreTheDeclaredOnes() {
    WorkerOptions defaults = WorkerOptions.builder().bootstrapServers("b:1").build();

    assertThat(defaults.namespace().name()).isEqualTo(WorkerSettings.NAMESPACE.defaultValue());
    assertThat(defaults.queue()).isEqualTo(WorkerSettings.QUEUE.defaultValue());
    assertThat(String.valueOf(defaults.maxInFlight()))
        .isEqualTo(WorkerSettings.MAX_IN_FLIGHT.defaultValue());
    assertThat(String.valueOf(defaults.retry().maxAttempts()))
        .isEqualTo(WorkerSettings.RETRY_MAX_ATTEMPTS.defaultValue());
    assertThat(String.valueOf(defaults.retry().initialBackoff().toMillis()))
        .isEqualTo(WorkerSettings.RETRY_BACKOFF_MS.defaultValue());
    assertThat(String.valueOf(defaults.drainTimeout().toMillis()))
        .isEqualTo(WorkerSettings.DRAIN_TIMEOUT_MS.defaultValue());
    assertThat(String.valueOf(defaults.commitInterval().toMillis()))
        .isEqualTo(WorkerSettings.COMMIT_INTERVAL_MS.defaultValue());
    assertThat(String.valueOf(defaults.taskPartitions()))
        .isEqualTo(WorkerSettings.TASK_PARTITIONS.defaultValue());
    assertThat(defaults.queueMode().name()).isEqualTo(WorkerSettings.QUEUE_MODE.defaultValue());
    assertThat(String.valueOf(defaults.maxTasks()))
        .isEqualTo(WorkerSettings.MAX_TASKS.defaultValue());
    assertThat(String.valueOf(defaults.metricsPort()))
        .isEqualTo(WorkerSettings.METRICS_PORT.defaultValue());
    assertThat(defaults.groupProtocol().name().toLowerCase(java.util.Locale.ROOT))
        .isEqualTo(WorkerSettings.GROUP_PROTOCOL.defaultValue());
  }

  @Test
  void aValueOfTheWrongShapeIsOneLineNamingTheKey() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "b:1");
    p.setProperty("drain.timeout.ms", "30s");

    assertThatThrownBy(() -> WorkerOptions.fromProperties(p))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("drain.timeout.ms must be an integer, was '30s'");
  }
}
