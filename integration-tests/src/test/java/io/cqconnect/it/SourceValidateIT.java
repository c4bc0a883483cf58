package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The REST validate endpoint reports bad configs key by key, including what the plugin says. */
@ExtendWith(ConnectClusterExtension.class)
class SourceValidateIT {

  private final ConnectHarness harness;

  SourceValidateIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private List<String> errors(Map<String, String> config, String key) {
    ConfigInfos infos =
        harness.cluster().validateConnectorConfig("CloudQuerySourceConnector", config);
    for (ConfigInfo info : infos.configs()) {
      if (info.configValue().name().equals(key)) {
        return info.configValue().errors();
      }
    }
    throw new AssertionError("validate did not report key " + key);
  }

  private static Map<String, String> memdb() {
    return SourceConnectors.forFixture("v", Fixtures.JS_MEMDB, "{\"concurrency\":100}");
  }

  @Test
  void shouldAcceptAWorkingConfig() {
    Map<String, String> config = memdb();
    config.put("name", "v");
    ConfigInfos infos =
        harness.cluster().validateConnectorConfig("CloudQuerySourceConnector", config);
    assertThat(infos.errorCount()).as("errors: %s", infos.configs()).isZero();
  }

  @Test
  void shouldAskForExactlyOneOfPathAndAddress() {
    Map<String, String> both = memdb();
    both.put("plugin.address", "127.0.0.1:7777");
    assertThat(errors(both, "plugin.path")).anyMatch(e -> e.contains("not both"));
    assertThat(errors(both, "plugin.address")).anyMatch(e -> e.contains("not both"));

    Map<String, String> neither = memdb();
    neither.remove("plugin.path");
    assertThat(errors(neither, "plugin.path")).anyMatch(e -> e.contains("set plugin.path"));
  }

  @Test
  void shouldNameABinaryThatCannotBeLaunched(@TempDir Path dir) throws IOException {
    Path notExecutable = Files.writeString(dir.resolve("plugin"), "#!/bin/sh\n");
    Map<String, String> config = memdb();
    config.put("plugin.path", notExecutable.toString());
    assertThat(errors(config, "plugin.path")).anyMatch(e -> e.contains("not executable"));

    config.put("plugin.path", dir.resolve("missing").toString());
    assertThat(errors(config, "plugin.path")).anyMatch(e -> e.contains("does not exist"));
  }

  @Test
  void shouldNameABadCronScheduleWithAnExampleAndRefuseItBesideAnInterval() {
    Map<String, String> config = memdb();
    config.remove("sync.interval.ms");
    config.put("sync.schedule", "0 2 * * *");
    assertThat(errors(config, "sync.schedule"))
        .anyMatch(e -> e.contains("not a cron expression") && e.contains("0 0 2 * * ?"));

    config.put("sync.schedule", "0 0 2 * * ?");
    config.put("sync.interval.ms", "60000");
    assertThat(errors(config, "sync.schedule"))
        .anyMatch(e -> e.contains("sync.schedule") && e.contains("sync.interval.ms"));
    assertThat(errors(config, "sync.interval.ms")).anyMatch(e -> e.contains("not both"));
  }

  @Test
  void shouldRejectASpecThatIsNotJson() {
    Map<String, String> config = memdb();
    config.put("plugin.spec", "{concurrency: 100");
    assertThat(errors(config, "plugin.spec")).isNotEmpty();
  }

  @Test
  void shouldReportAnUnreachableAddress() {
    Map<String, String> config = memdb();
    config.remove("plugin.path");
    config.put("plugin.address", "127.0.0.1:1");
    config.put("plugin.start.timeout.ms", "1500");
    assertThat(errors(config, "plugin.address"))
        .anyMatch(e -> e.contains("cannot reach the plugin") && e.contains("127.0.0.1:1"));
  }

  @Test
  void shouldReportWhatThePluginSaysAboutItsSpec() {
    Map<String, String> config = memdb();
    config.put("plugin.spec", "{\"concurrency\":\"lots\"}");
    assertThat(errors(config, "plugin.spec"))
        .anyMatch(e -> e.contains("the plugin rejects this spec"));
  }
}
