package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

  @Test
  void shouldApplyCloudQueryDefaultsWhenOnlyPluginIsSet() {
    SinkConfig config = new SinkConfig(Map.of("plugin.address", "127.0.0.1:7777"));

    assertThat(config.writeMode()).isEqualTo(WriteMode.OVERWRITE_DELETE_STALE);
    assertThat(config.migrateMode()).isEqualTo(MigrateMode.SAFE);
    assertThat(config.pkMode()).isEqualTo(PkMode.DEFAULT);
    assertThat(config.tableRenames()).isEmpty();
    assertThat(config.sourceNameFallback()).isEmpty();
    assertThat(config.batchMaxRows()).isEqualTo(10_000);
    assertThat(config.batchMaxBytes()).isEqualTo(5_242_880L);
    assertThat(config.batchTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.retryMax()).isEqualTo(10);
    assertThat(config.retryBackoff()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void shouldPreferRenameThenHeaderThenTopicWhenChoosingTable() {
    SinkConfig config =
        new SinkConfig(
            Map.of(
                "plugin.address", "127.0.0.1:7777",
                "table.rename", "aws.buckets:aws_s3_buckets",
                "write.mode", "append",
                "pk.mode", "cq-id-only",
                "migrate.mode", "forced"));

    assertThat(config.tableFor("aws.buckets", "other")).isEqualTo("aws_s3_buckets");
    assertThat(config.tableFor("aws.aws_ec2_instances", "aws_ec2_instances"))
        .isEqualTo("aws_ec2_instances");
    assertThat(config.tableFor("plain", null)).isEqualTo("plain");
    assertThat(config.writeMode()).isEqualTo(WriteMode.APPEND);
    assertThat(config.pkMode()).isEqualTo(PkMode.CQ_ID_ONLY);
    assertThat(config.migrateMode()).isEqualTo(MigrateMode.FORCED);
  }
}
