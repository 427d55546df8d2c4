package dev.vshard.operator.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesDurationTest {

  @ParameterizedTest
  @CsvSource({"500ms,500", "1s,1000", "1m30s,90000", "2h,7200000", "1h1m1s1ms,3661001", "1500us,1", "0s,0"})
  void parses(String text, long millis) {
    assertThat(KubernetesDuration.parse(text).toMillis()).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "500", "1.5s", "5 s", "1d", "-1s", "ms", "1M"})
  void refusesWithTheValueAndTheShape(String text) {
    assertThatThrownBy(() -> KubernetesDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'").hasMessageContaining("e.g. 500ms");
  }

  @ParameterizedTest
  @CsvSource({"0,0s", "250,250ms", "1000,1s", "1250,1.25s", "61000,1m1s", "3723400,1h2m3.4s"})
  void formats(long millis, String text) {
    assertThat(KubernetesDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
