package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoSpecTest {

  private static DemoSpec parse(String json) {
    return DemoSpec.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldUseDefaultsWhenSpecIsNullEmptyOrAnEmptyObject() {
    assertThat(parse("null")).isEqualTo(DemoSpec.DEFAULT);
    assertThat(parse("")).isEqualTo(DemoSpec.DEFAULT);
    assertThat(parse("{}")).isEqualTo(DemoSpec.DEFAULT);
    assertThat(DemoSpec.DEFAULT).isEqualTo(new DemoSpec(50, 5, 10, 0));
  }

  @Test
  void shouldReadEveryFieldWhenGiven() {
    assertThat(
            parse("{\"events_per_sync\":7,\"users\":2,\"batch_rows\":3,\"delay_ms_per_batch\":4}"))
        .isEqualTo(new DemoSpec(7, 2, 3, 4));
  }

  @Test
  void shouldNameTheFieldWhenSpecIsInvalid() {
    assertThatThrownBy(() -> parse("{\"event_per_sync\":7}"))
        .hasMessageContaining("unknown spec field 'event_per_sync'")
        .hasMessageContaining("events_per_sync");
    assertThatThrownBy(() -> parse("{\"batch_rows\":0}"))
        .hasMessageContaining("'batch_rows' must be an integer >= 1, got 0");
    assertThatThrownBy(() -> parse("{\"users\":\"five\"}"))
        .hasMessageContaining("'users' must be an integer >= 0");
    assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("spec must be a JSON object");
    assertThatThrownBy(() -> parse("{nope")).hasMessageContaining("spec is not valid JSON");
  }
}
