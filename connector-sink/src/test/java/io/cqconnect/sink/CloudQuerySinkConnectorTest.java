package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.plugin.PluginAllowlist;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudQuerySinkConnectorTest {

  private static Map<String, List<String>> errors(Config config) {
    return config.configValues().stream()
        .filter(v -> !v.errorMessages().isEmpty())
        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
  }

  @Test
  void shouldGiveEveryTaskTheSameConfigPlusItsNumber() {
    CloudQuerySinkConnector connector = new CloudQuerySinkConnector();
    connector.start(Map.of("plugin.address", "127.0.0.1:1", "write.mode", "append", "topics", "a"));

    List<Map<String, String>> tasks = connector.taskConfigs(3);

    assertThat(tasks).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Map<String, String> expected =
          new HashMap<>(
              Map.of("plugin.address", "127.0.0.1:1", "write.mode", "append", "topics", "a"));
      expected.put("task.id", Integer.toString(i));
      assertThat(tasks.get(i)).isEqualTo(expected);
    }
    assertThat(connector.taskClass()).isEqualTo(CloudQuerySinkTask.class);
  }

  @Test
  void shouldRefuseAPluginOutsideTheWorkersPluginDirectoriesWithoutLaunchingIt(
      @TempDir Path plugins) {
    System.setProperty(PluginAllowlist.PROPERTY, plugins.toString());
    try {
      Map<String, String> props = new HashMap<>();
      props.put("topics", "a");
      props.put("plugin.path", "/bin/sh");

      Map<String, List<String>> errors = errors(new CloudQuerySinkConnector().validate(props));

      assertThat(errors.get("plugin.path"))
          .singleElement()
          .asString()
          .startsWith("Plugin binary /bin/sh")
          .contains("is outside the plugin directories this worker allows (" + plugins);
    } finally {
      System.clearProperty(PluginAllowlist.PROPERTY);
    }
  }

  @Test
  void shouldAttachCrossFieldProblemsToTheKeysThatCausedThem() {
    Map<String, String> props = new HashMap<>();
    props.put("topics", "a,b");
    props.put("table.rename", "a:t1,c:t3");
    props.put("batch.max.bytes", "2000");
    props.put("grpc.max.message.bytes", "1024");

    Map<String, List<String>> errors = errors(new CloudQuerySinkConnector().validate(props));

    assertThat(errors.get("table.rename"))
        .singleElement()
        .asString()
        .contains("'c'", "not in topics");
    assertThat(errors.get("batch.max.bytes"))
        .singleElement()
        .asString()
        .contains("grpc.max.message.bytes (1024)");
    assertThat(errors.get("plugin.path")).isNotEmpty();
  }

  @Test
  void shouldReportAnUnreachablePluginOnItsAddressWhenEverythingElseIsValid() {
    Map<String, String> props =
        Map.of("topics", "a", "plugin.address", "127.0.0.1:1", "plugin.start.timeout.ms", "500");

    Map<String, List<String>> errors = errors(new CloudQuerySinkConnector().validate(props));

    assertThat(errors).containsOnlyKeys("plugin.address");
    assertThat(errors.get("plugin.address"))
        .singleElement()
        .asString()
        .contains("cannot reach the plugin");
  }

  @Test
  void shouldAcceptAValidConfigWhenThePluginAnswers() {
    try (FakeDestination destination = new FakeDestination()) {
      Map<String, String> props = Map.of("topics", "a", "plugin.address", destination.address());

      assertThat(errors(new CloudQuerySinkConnector().validate(props))).isEmpty();
    }
  }

  @Test
  void shouldDeclareTheSinkKeysWhenAskedForItsConfig() {
    assertThat(new CloudQuerySinkConnector().config().names())
        .contains(
            "write.mode",
            "migrate.mode",
            "pk.mode",
            "table.rename",
            "batch.max.rows",
            "retry.max",
            "plugin.path");
  }

  @Test
  void shouldAlterOffsetsOfConsumedTopicsAndRefuseOthersNamingThem() {
    CloudQuerySinkConnector connector = new CloudQuerySinkConnector();
    Map<String, String> config = Map.of("topics", "a, b", "topics.regex", "cq\\..*");
    Map<TopicPartition, Long> consumed = new HashMap<>();
    consumed.put(new TopicPartition("a", 0), 10L);
    consumed.put(new TopicPartition("cq.items", 3), 0L);
    consumed.put(new TopicPartition("b", 1), null); // a reset

    assertThat(connector.alterOffsets(config, consumed)).isTrue();

    Map<TopicPartition, Long> typo = new HashMap<>(consumed);
    typo.put(new TopicPartition("cqitems", 0), 5L);
    assertThatThrownBy(() -> connector.alterOffsets(config, typo))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("[cqitems]")
        .hasMessageContaining("topics=a,b, topics.regex=cq\\..*")
        .hasMessageContaining("edit only the topics it reads");
    assertThatThrownBy(
            () ->
                connector.alterOffsets(
                    Map.of("topics", "a"), Map.of(new TopicPartition("b", 0), 1L)))
        .hasMessageContaining("[b]")
        .hasMessageContaining("(topics=a)");
  }

  @Test
  void shouldRefuseANegativeOffsetNamingThePartition() {
    CloudQuerySinkConnector connector = new CloudQuerySinkConnector();

    assertThatThrownBy(
            () ->
                connector.alterOffsets(
                    Map.of("topics", "a"), Map.of(new TopicPartition("a", 2), -1L)))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("offset -1 for partition a-2")
        .hasMessageContaining("0 or more")
        .hasMessageContaining("null offset");
  }
}
