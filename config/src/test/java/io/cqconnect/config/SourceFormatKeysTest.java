package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SourceFormatKeysTest {

  private static Map<String, String> base() {
    return SourceScheduleKeysTest.base();
  }

  @Test
  void shouldWriteRowsUnlessArrowIsAsked() {
    assertThat(new SourceConfig(base()).recordFormat()).isEqualTo(RecordFormat.ROW);
    Map<String, String> props = base();
    props.put("record.format", "arrow");
    assertThat(new SourceConfig(props).recordFormat()).isEqualTo(RecordFormat.ARROW);
    assertThat(SourceConfig.validate(props).isEmpty()).isTrue();
  }

  @Test
  void shouldListTheFormatsWhenTheSpellingIsWrong() {
    Map<String, String> props = base();
    props.put("record.format", "arrow-ipc");
    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("record.format")
        .hasMessageContaining("valid values are row, arrow");
  }

  @Test
  void shouldRejectArrowWithCompactedTopicsOrATimestampPrecision() {
    Map<String, String> props = base();
    props.put("record.format", "arrow");
    props.put("topic.creation.default.cleanup.policy", "compact");
    props.put("timestamp.precision", "milliseconds");

    ConfigProblems problems = SourceConfig.validate(props);

    assertThat(problems.messages("record.format"))
        .singleElement()
        .asString()
        .contains("compacted topic rejects", "topic.creation.default.cleanup.policy=compact");
    assertThat(problems.messages("timestamp.precision"))
        .singleElement()
        .asString()
        .contains("record.format=arrow", "remove timestamp.precision");

    props.put("timestamp.precision", "exact");
    assertThat(SourceConfig.validate(props).messages("timestamp.precision"))
        .as("what the batches keep anyway")
        .isEmpty();
    props.put("record.format", "row");
    props.put("timestamp.precision", "milliseconds");
    assertThat(SourceConfig.validate(props).isEmpty()).as("the row format allows both").isTrue();
  }
}
