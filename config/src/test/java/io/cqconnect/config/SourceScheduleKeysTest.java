package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SourceScheduleKeysTest {

  /** The smallest valid source config, for tests of single keys. */
  static Map<String, String> base() {
    Map<String, String> props = new HashMap<>();
    props.put("name", "src");
    props.put("plugin.address", "127.0.0.1:7777");
    return props;
  }

  @Test
  void shouldHaveNoScheduleWhenSyncScheduleIsUnset() {
    assertThat(new SourceConfig(base()).syncSchedule()).isEmpty();
  }

  @Test
  void shouldFireAtTheCronTimesOfTheConfiguredZone() {
    Map<String, String> props = base();
    props.put("sync.schedule", "0 0 2 * * ?");
    props.put("sync.schedule.timezone", "Europe/Berlin");
    SyncCron cron = new SourceConfig(props).syncSchedule().orElseThrow();

    // 02:00 in Berlin in winter (UTC+1) is 01:00 UTC; in summer (UTC+2) 00:00 UTC.
    assertThat(cron.nextAfter(Instant.parse("2026-01-10T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-01-11T01:00:00Z"));
    assertThat(cron.nextAfter(Instant.parse("2026-07-10T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-07-11T00:00:00Z"));
    assertThat(cron.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void shouldReturnTheFireTimeStrictlyAfterTheGivenInstant() {
    SyncCron cron = SyncCron.parse("*/10 * * * * ?", ZoneId.of("UTC"));
    assertThat(cron.nextAfter(Instant.parse("2026-01-01T00:00:10Z")))
        .isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
    assertThat(cron.nextAfter(Instant.parse("2026-01-01T00:00:10.001Z")))
        .isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
  }

  @Test
  void shouldRejectABadExpressionNamingTheKeyAndAnExample() {
    Map<String, String> props = base();
    props.put("sync.schedule", "every day");
    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sync.schedule")
        .hasMessageContaining("every day")
        .hasMessageContaining("0 0 2 * * ?");
  }

  @Test
  void shouldExplainTheSecondsFieldWhenGivenAUnixCronExpression() {
    assertThatThrownBy(() -> SyncCron.parse("0 2 * * *", ZoneId.of("UTC")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("5 fields")
        .hasMessageContaining("seconds first");
  }

  @Test
  void shouldRejectAnUnknownTimeZoneNamingTheKey() {
    Map<String, String> props = base();
    props.put("sync.schedule", "0 0 2 * * ?");
    props.put("sync.schedule.timezone", "Mars/Olympus");
    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sync.schedule.timezone")
        .hasMessageContaining("Europe/Berlin");
  }

  @Test
  void shouldRejectAScheduleBesideAnExplicitIntervalOnBothKeys() {
    Map<String, String> props = base();
    props.put("sync.schedule", "0 0 2 * * ?");
    props.put("sync.interval.ms", "60000");
    ConfigProblems problems = SourceConfig.validate(props);
    assertThat(problems.messages("sync.schedule"))
        .singleElement()
        .asString()
        .contains("sync.schedule", "sync.interval.ms");
    assertThat(problems.messages("sync.interval.ms")).hasSize(1);
  }

  @Test
  void shouldAcceptAScheduleWhenTheIntervalIsLeftUnset() {
    Map<String, String> props = base();
    props.put("sync.schedule", "0 0 2 * * ?");
    assertThat(SourceConfig.validate(props).messages("sync.schedule")).isEmpty();
    assertThat(SourceConfig.validate(props).messages("sync.interval.ms")).isEmpty();
  }

  @Test
  void shouldNeverRefreshIncrementalTablesByDefault() {
    assertThat(new SourceConfig(base()).incrementalFullRefreshInterval()).isZero();
  }

  @Test
  void shouldReadTheFullRefreshInterval() {
    Map<String, String> props = base();
    props.put("state.table.name", "cq_state");
    props.put("incremental.full.refresh.interval.ms", "86400000");
    assertThat(new SourceConfig(props).incrementalFullRefreshInterval())
        .isEqualTo(java.time.Duration.ofDays(1));
    assertThat(SourceConfig.validate(props).messages("incremental.full.refresh.interval.ms"))
        .isEmpty();
  }

  @Test
  void shouldRejectANegativeFullRefreshIntervalNamingTheKey() {
    Map<String, String> props = base();
    props.put("incremental.full.refresh.interval.ms", "-1");
    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("incremental.full.refresh.interval.ms");
  }

  @Test
  void shouldRejectAFullRefreshIntervalWithoutAStateTableNamingTheFix() {
    Map<String, String> props = base();
    props.put("incremental.full.refresh.interval.ms", "60000");
    assertThat(SourceConfig.validate(props).messages("incremental.full.refresh.interval.ms"))
        .singleElement()
        .asString()
        .contains("state.table.name", "from scratch");
    props.put("incremental.full.refresh.interval.ms", "0");
    assertThat(SourceConfig.validate(props).messages("incremental.full.refresh.interval.ms"))
        .isEmpty();
  }
}
