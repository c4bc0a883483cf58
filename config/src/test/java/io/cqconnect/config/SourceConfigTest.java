package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SourceConfigTest {

  private static Map<String, String> base() {
    Map<String, String> props = new HashMap<>();
    props.put("name", "aws-connector");
    props.put("plugin.address", "127.0.0.1:7777");
    return props;
  }

  @Test
  void shouldApplyCloudQueryDefaultsWhenOnlyPluginIsSet() {
    SourceConfig config = new SourceConfig(base());

    assertThat(config.sourceName()).isEqualTo("aws-connector");
    assertThat(config.tables()).containsExactly("*");
    assertThat(config.skipTables()).isEmpty();
    assertThat(config.skipDependentTables()).isTrue();
    assertThat(config.deterministicCqId()).isFalse();
    assertThat(config.topicPrefix()).isEmpty();
    assertThat(config.syncInterval()).isEqualTo(Duration.ZERO);
    assertThat(config.tablesDiscoveryInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.queueMaxMessages()).isEqualTo(64);
    assertThat(config.pollMaxRecords()).isEqualTo(10_000);
    assertThat(config.tableSplit()).isEqualTo(TableSplit.TABLE);
    assertThat(config.timestampPrecision()).isEqualTo(TimestampPrecision.MILLISECONDS);
    assertThat(config.stateTableName()).isEmpty();
    assertThat(config.stateTopic()).isEqualTo("cq_state");
    assertThat(config.stateMirrorKind()).isEqualTo(StateMirrorKind.NONE);
    assertThat(config.stateMirrorRetry()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.pluginPath()).isEmpty();
    assertThat(config.pluginAddress()).contains("127.0.0.1:7777");
    assertThat(config.pluginNetwork()).isEqualTo(PluginNetwork.UNIX);
    assertThat(config.pluginArgs()).isEmpty();
    assertThat(config.pluginEnv()).isEmpty();
    assertThat(config.pluginSpec()).isEqualTo("null");
    assertThat(config.pluginLogLevel()).isEqualTo(LogLevel.INFO);
    assertThat(config.pluginStartTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.pluginStopGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.pluginCallTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.grpcMaxMessageBytes()).isEqualTo(209_715_200);
    assertThat(config.pluginRestartMaxAttempts()).isEqualTo(5);
    assertThat(config.pluginRestartBackoffInitial()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.pluginRestartBackoffMax()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldNameTopicsFromPrefixAndRenamesWhenConfigured() {
    Map<String, String> props = base();
    props.put("topic.prefix", "aws.");
    props.put("topic.rename", "aws_s3_buckets:buckets, aws_iam_users:users");

    SourceConfig config = new SourceConfig(props);

    assertThat(config.topicFor("aws_ec2_instances")).isEqualTo("aws.aws_ec2_instances");
    assertThat(config.topicFor("aws_s3_buckets")).isEqualTo("buckets");
    assertThat(config.stateTopic()).isEqualTo("aws.cq_state");
  }

  @Test
  void shouldReadDiscoveryIntervalAndRejectNegativeOnes() {
    Map<String, String> props = base();
    props.put("tables.discovery.interval.ms", "0");
    assertThat(new SourceConfig(props).tablesDiscoveryInterval()).isEqualTo(Duration.ZERO);

    props.put("tables.discovery.interval.ms", "-1");
    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tables.discovery.interval.ms")
        .hasMessageContaining("Value must be at least 0");
  }

  @Test
  void shouldRejectRenameWhenEntryHasNoColon() {
    Map<String, String> props = base();
    props.put("topic.rename", "aws_s3_buckets");

    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("entry 'aws_s3_buckets' of topic.rename is not of the form from:to");
  }

  @Test
  void shouldKeepTimestampsExactWhenPrecisionIsExact() {
    Map<String, String> props = base();
    props.put("timestamp.precision", "exact");

    assertThat(new SourceConfig(props).timestampPrecision()).isEqualTo(TimestampPrecision.EXACT);
    assertThat(new SourceTaskConfig(props).timestampPrecision())
        .isEqualTo(TimestampPrecision.EXACT);
  }

  @Test
  void shouldListTheWordsWhenTimestampPrecisionIsAUnitName() {
    Map<String, String> props = base();
    props.put("timestamp.precision", "us");

    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value us for configuration timestamp.precision: valid values are"
                + " milliseconds, exact");
    assertThat(
            SourceConfig.configDef().validate(props).stream()
                .filter(v -> v.name().equals("timestamp.precision"))
                .findFirst()
                .orElseThrow()
                .recommendedValues())
        .containsExactly("milliseconds", "exact");
  }

  @Test
  void shouldResolveSpecVariablesAsJsonStringsWhenValuesHoldQuotesAndNewlines() {
    Map<String, String> props = base();
    props.put("plugin.spec", "{\"key\":\"${file.key.pem}\",\"dsn\":\"postgres://u:${PW}@h/db\"}");
    props.put("plugin.spec.var.file.key.pem", "-----BEGIN-----\nabc\n-----END-----\n");
    props.put("plugin.spec.var.PW", "p\"w\\d");

    String spec = new SourceConfig(props).pluginSpec();

    assertThat(spec)
        .isEqualTo(
            "{\"key\":\"-----BEGIN-----\\nabc\\n-----END-----\\n\","
                + "\"dsn\":\"postgres://u:p\\\"w\\\\d@h/db\"}");
  }

  @Test
  void shouldExplainMissingProviderWhenVariableStaysUnresolved() {
    Map<String, String> props = base();
    props.put("plugin.spec", "{\"token\":\"${TOKEN}\"}");
    props.put("plugin.spec.var.TOKEN", "${env:TOKEN}");

    SourceConfig config = new SourceConfig(props);

    assertThatThrownBy(config::pluginSpec)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "plugin.spec.var.TOKEN still holds a config provider placeholder: the worker did not"
                + " resolve it.");
  }

  @Test
  void shouldPassEnvironmentWhenPrefixedKeysAreSet() {
    Map<String, String> props = base();
    props.put("plugin.env.AWS_REGION", "eu-west-1");

    assertThat(new SourceConfig(props).pluginEnv())
        .containsExactly(Map.entry("AWS_REGION", "eu-west-1"));
  }

  @Test
  void shouldRejectSeveralMirrorsWhenMoreThanOneKindIsSet() {
    Map<String, String> props = base();
    props.put("state.table.name", "cq_state");
    props.put("state.mirror.address", "127.0.0.1:7777");
    props.put("state.mirror.jdbc.url", "jdbc:sqlite:/tmp/state.db");

    ConfigProblems problems = SourceConfig.validate(props);

    String expected =
        "set at most one of state.mirror.address, state.mirror.path and state.mirror.jdbc.url"
            + " (found state.mirror.address, state.mirror.jdbc.url)";
    assertThat(problems.messages("state.mirror.address")).containsExactly(expected);
    assertThat(problems.messages("state.mirror.jdbc.url")).containsExactly(expected);
  }

  @Test
  void shouldRequireStateTableWhenMirrorIsSet() {
    Map<String, String> props = base();
    props.put("state.mirror.jdbc.url", "jdbc:postgresql://localhost:5432/cq");
    props.put("state.mirror.jdbc.password", "secret");

    ConfigProblems problems = SourceConfig.validate(props);

    assertThat(problems.messages("state.mirror.jdbc.url"))
        .containsExactly(
            "state.mirror.jdbc.url has no effect without state.table.name; set the state table"
                + " name");
    assertThat(new SourceConfig(props).stateMirrorKind()).isEqualTo(StateMirrorKind.JDBC);
    assertThat(new SourceConfig(props).stateMirrorJdbcPassword()).isEqualTo("secret");
  }

  @Test
  void shouldRejectMirrorSpecWhenNoPluginMirrorIsSet() {
    Map<String, String> props = base();
    props.put("state.table.name", "cq_state");
    props.put("state.mirror.spec", "{}");

    assertThat(SourceConfig.validate(props).messages("state.mirror.spec"))
        .containsExactly(
            "state.mirror.spec is sent to a destination plugin only: set state.mirror.path or"
                + " state.mirror.address, or remove it");
  }

  @Test
  void shouldRejectJdbcUrlWhenDriverIsUnsupported() {
    Map<String, String> props = base();
    props.put("state.mirror.jdbc.url", "jdbc:mysql://localhost/db");

    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only jdbc:sqlite:<file> and jdbc:postgresql://... are supported");
  }

  @Test
  void shouldUseTaskTablesOrShardWhenConnectorAssignedThem() {
    Map<String, String> connector = base();
    connector.put("tables", "aws_*");

    SourceTaskConfig byTables =
        new SourceTaskConfig(SourceTaskConfig.forTables(connector, List.of("aws_a", "aws_b")));
    SourceTaskConfig byShard = new SourceTaskConfig(SourceTaskConfig.forShard(connector, 2, 3));
    SourceTaskConfig plain = new SourceTaskConfig(connector);

    assertThat(byTables.taskTables()).containsExactly("aws_a", "aws_b");
    assertThat(byTables.shard()).isEmpty();
    assertThat(byShard.taskTables()).containsExactly("aws_*");
    assertThat(byShard.shard()).contains(new SourceTaskConfig.Shard(2, 3));
    assertThat(plain.taskTables()).containsExactly("aws_*");
  }

  @Test
  void shouldRejectShardWhenNumberExceedsTotal() {
    Map<String, String> props = base();
    props.put("task.shard.num", "4");
    props.put("task.shard.total", "3");

    assertThatThrownBy(() -> new SourceTaskConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "task.shard.num (4) and task.shard.total (3) must both be 0, or satisfy 1 <= num <="
                + " total");
  }

  @Test
  void shouldLogValuesWithoutSecrets() {
    Map<String, String> props = base();
    props.put("state.table.name", "cq_state");
    props.put("state.mirror.jdbc.url", "jdbc:postgresql://db/cq?user=cq&password=canary-url");
    props.put("state.mirror.jdbc.password", "canary-key");
    props.put("plugin.spec", "{\"token\":\"canary-spec\"}");

    String logged = new SourceConfig(props).valuesForLog();

    assertThat(logged)
        .startsWith("SourceConfig values:\n")
        .contains("\tstate.mirror.jdbc.url = jdbc:postgresql://db/cq?user=cq&password=***\n")
        .contains("\tstate.mirror.jdbc.password = [hidden]\n")
        .contains("\tplugin.spec = [hidden]\n")
        .doesNotContain("canary");
  }

  @Test
  void shouldNotEchoAPasswordInsideARejectedJdbcUrl() {
    Map<String, String> props = base();
    props.put("state.mirror.jdbc.url", "jdbc:mysql://db/cq?password=canary-url");

    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("canary");
  }

  @Test
  void shouldRequireAStateEndpointHostForADialledPluginThatKeepsCursors() {
    Map<String, String> props = base();
    props.put("state.table.name", "cq_state");

    assertThat(SourceConfig.validate(props).messages("state.endpoint.host"))
        .containsExactly(
            "a plugin reached over plugin.address cannot dial the worker's private unix socket to"
                + " write its cursors; set state.endpoint.host to an address of this worker the"
                + " plugin can reach (127.0.0.1 when it runs on the same host)");

    props.put("state.endpoint.host", "127.0.0.1");
    assertThat(SourceConfig.validate(props).messages("state.endpoint.host")).isEmpty();
    assertThat(new SourceConfig(props).stateEndpointHost()).hasValue("127.0.0.1");
  }

  @Test
  void shouldRejectAStateEndpointHostForALaunchedPlugin() {
    Map<String, String> props = new HashMap<>();
    props.put("name", "aws-connector");
    props.put("plugin.path", "/bin/sh");
    props.put("state.table.name", "cq_state");
    props.put("state.endpoint.host", "127.0.0.1");

    assertThat(SourceConfig.validate(props).messages("state.endpoint.host"))
        .containsExactly(
            "state.endpoint.host is used only with plugin.address (a launched plugin writes to a"
                + " private unix socket); remove it");
  }
}
