package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EnumConfigsTest {

  @Test
  void shouldParseCloudQuerySpellingWhenValid() {
    assertThat(WriteMode.fromString("overwrite-delete-stale"))
        .isEqualTo(WriteMode.OVERWRITE_DELETE_STALE);
    assertThat(MigrateMode.fromString(" forced ")).isEqualTo(MigrateMode.FORCED);
    assertThat(PkMode.fromString("cq-id-only")).isEqualTo(PkMode.CQ_ID_ONLY);
    assertThat(TableSplit.fromString("shard")).isEqualTo(TableSplit.SHARD);
    assertThat(PluginNetwork.fromString("tcp")).isEqualTo(PluginNetwork.TCP);
    assertThat(LogLevel.fromString("warn")).isEqualTo(LogLevel.WARN);
  }

  @Test
  void shouldListValidValuesWhenSpellingIsWrong() {
    assertThatThrownBy(() -> WriteMode.fromString("OVERWRITE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid write mode 'OVERWRITE': valid values are append, overwrite,"
                + " overwrite-delete-stale");
    assertThatThrownBy(() -> PluginNetwork.fromString(null))
        .hasMessage("invalid plugin network 'null': valid values are unix, tcp, grpc-unix");
  }

  @Test
  void shouldValidateAndRecommendWhenUsedInConfigDef() {
    assertThat(EnumConfigs.recommender(MigrateMode.class).validValues("migrate.mode", Map.of()))
        .containsExactly("safe", "forced");
    assertThat(EnumConfigs.validator(PkMode.class)).hasToString("default, cq-id-only");
    assertThatThrownBy(() -> EnumConfigs.validator(PkMode.class).ensureValid("pk.mode", "id"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value id for configuration pk.mode: valid values are default, cq-id-only");
  }
}
