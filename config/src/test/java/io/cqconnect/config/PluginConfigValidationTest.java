package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginConfigValidationTest {

  @TempDir Path dir;
  private Path binary;

  @BeforeEach
  void createBinary() throws IOException {
    binary = dir.resolve("cq-source-test");
    Files.writeString(binary, "#!/bin/sh\n");
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void shouldAttachMessageToBothKeysWhenPathAndAddressAreSet() {
    ConfigProblems problems =
        SourceConfig.validate(
            Map.of("plugin.path", binary.toString(), "plugin.address", "127.0.0.1:7777"));

    String expected =
        "set either plugin.path (a plugin binary to launch) or plugin.address (a running plugin"
            + " to dial), not both";
    assertThat(problems.messages("plugin.path")).containsExactly(expected);
    assertThat(problems.messages("plugin.address")).containsExactly(expected);
  }

  @Test
  void shouldAskForOneOfThemWhenNeitherPathNorAddressIsSet() {
    ConfigProblems problems = SinkConfig.validate(Map.of());

    assertThat(problems.messages("plugin.path"))
        .containsExactly(
            "set plugin.path (absolute path of a plugin binary on every worker) or plugin.address"
                + " (host:port or unix:///path of a running plugin)");
  }

  @Test
  void shouldReportMissingBinaryWhenPathDoesNotExist() {
    String missing = dir.resolve("nope").toString();

    ConfigProblems problems = SourceConfig.validate(Map.of("plugin.path", missing));

    assertThat(problems.messages("plugin.path"))
        .containsExactly(
            "plugin.path '"
                + missing
                + "' does not exist on this worker; install the plugin"
                + " binary there");
  }

  @Test
  void shouldPassCrossFieldChecksWhenConfigIsComplete() {
    assertThat(SourceConfig.validate(Map.of("plugin.path", binary.toString())).isEmpty()).isTrue();
    assertThat(SinkConfig.validate(Map.of("plugin.address", "unix:///tmp/cq.sock")).isEmpty())
        .isTrue();
  }

  @Test
  void shouldListValidValuesWhenEnumIsWrong() {
    Map<String, String> props = new HashMap<>(Map.of("plugin.address", "localhost:7777"));
    props.put("write.mode", "upsert");

    assertThatThrownBy(() -> new SinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value upsert for configuration write.mode: valid values are append,"
                + " overwrite, overwrite-delete-stale");
    assertThat(errorsOf(SinkConfig.configDef().validate(props), "write.mode"))
        .containsExactly(
            "Invalid value upsert for configuration write.mode: valid values are append,"
                + " overwrite, overwrite-delete-stale");
  }

  @Test
  void shouldRejectSpecWithoutEchoingItWhenItIsNotJson() {
    Map<String, String> props =
        Map.of("plugin.address", "localhost:7777", "plugin.spec", "{\"password\": \"s3cret\"");

    assertThatThrownBy(() -> new SourceConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("plugin.spec is not valid JSON (line 1, column ")
        .hasMessageEndingWith("expected the plugin's spec as a JSON object, or null")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void shouldRejectSpecWhenItIsAJsonArray() {
    Map<String, String> props = Map.of("plugin.address", "localhost:7777", "plugin.spec", "[1]");

    assertThatThrownBy(() -> new SinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "plugin.spec must be a JSON object (the plugin's spec) or null, not a JSON array");
  }

  @Test
  void shouldRejectAddressWhenItIsNotHostPort() {
    Map<String, String> props = Map.of("plugin.address", "localhost");

    assertThatThrownBy(() -> new SinkConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value localhost for configuration plugin.address: expected host:port (for"
                + " example 127.0.0.1:7777) or unix:///absolute/socket/path");
  }

  @Test
  void shouldAttachCrossFieldMessagesToConfigValuesWhenValidating() {
    Map<String, String> props = Map.of("plugin.address", "localhost:1", "plugin.path", "/x");
    Config config = new Config(SourceConfig.configDef().validate(props));

    Config merged = SourceConfig.validate(props).attachTo(config);

    assertThat(errorsOf(merged.configValues(), "plugin.address")).hasSize(1);
    assertThat(errorsOf(merged.configValues(), "plugin.path")).hasSize(1);
  }

  @Test
  void shouldReportUnsetVariableWhenSpecReferencesIt() {
    Map<String, String> props =
        Map.of(
            "plugin.address", "localhost:7777",
            "plugin.spec", "{\"token\":\"${TOKEN}\",\"user\":\"${USER}\"}",
            "plugin.spec.var.USER", "${env:USER}");

    assertThat(SinkConfig.validate(props).messages("plugin.spec"))
        .containsExactly(
            "plugin.spec references ${TOKEN} but plugin.spec.var.TOKEN is not set; set it, for"
                + " example to ${env:NAME} (worker config.providers=env)");
  }

  @Test
  void shouldRequireOrderedBackoffsWhenInitialExceedsMax() {
    Map<String, String> props =
        Map.of(
            "plugin.address", "localhost:7777",
            "plugin.restart.backoff.initial.ms", "70000");

    assertThat(SinkConfig.validate(props).messages("plugin.restart.backoff.initial.ms"))
        .containsExactly(
            "plugin.restart.backoff.initial.ms (70000) must not exceed"
                + " plugin.restart.backoff.max.ms (60000)");
  }

  private static List<String> errorsOf(List<ConfigValue> values, String key) {
    return values.stream()
        .filter(v -> v.name().equals(key))
        .findFirst()
        .map(ConfigValue::errorMessages)
        .orElse(List.of());
  }
}
