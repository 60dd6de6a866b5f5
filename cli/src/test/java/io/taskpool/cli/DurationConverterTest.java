package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsTheShortFormsAndIso() {
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(converter.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void printsThemBack() {
    assertThat(DurationConverter.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationConverter.format(Duration.ofHours(2))).isEqualTo("2h");
  }

  @Test
  void refusesWhatIsNotAPositiveDuration() {
    assertThatThrownBy(() -> converter.convert("soon"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("'soon' is not a duration: use e.g. 30s, 5m, 1h or 500ms");
    assertThatThrownBy(() -> converter.convert("0s"))
        .hasMessage("'0s' must be a positive duration");
  }
}
