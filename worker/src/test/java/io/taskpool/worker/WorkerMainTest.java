package io.taskpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.TaskpoolException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WorkerMainTest {
  @Test
  void argumentsWinOverTheEnvironment() {
    Properties settings =
        WorkerMain.settings(
            new String[] {"--namespace=from-args"},
            Map.of("TASKPOOL_NAMESPACE", "from-env", "TASKPOOL_KAFKA_BOOTSTRAP", "env:9092"));

    assertThat(settings.getProperty("namespace")).isEqualTo("from-args");
    assertThat(settings.getProperty("bootstrap.servers")).isEqualTo("env:9092");
  }

  @Test
  void anArgumentThatIsNotKeyValueIsRejectedByName() {
    assertThatThrownBy(() -> WorkerMain.settings(new String[] {"--verbose"}, Map.of()))
        .isInstanceOf(TaskpoolException.class)
        .hasMessageContaining("'--verbose'");
  }
}
