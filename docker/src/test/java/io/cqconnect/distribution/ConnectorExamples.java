package io.cqconnect.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqconnect.config.PluginConfig;
import io.cqconnect.config.SinkConfig;
import io.cqconnect.config.SourceConfig;
import io.cqconnect.config.SourceStateKeys;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of example connector configs, wherever they are shown (the plugin's {@code etc/}, the
 * compose file's connector, the README and {@code docs/}): only keys the connectors or Connect
 * define, specs that are JSON without raw provider placeholders, complete topic creation groups,
 * and sinks whose {@code topics.regex} leaves out the state topics of the sources beside them.
 */
final class ConnectorExamples {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Connect's own keys the examples use. */
  private static final Set<String> CONNECT_KEYS =
      Set.of(
          "name",
          "connector.class",
          "tasks.max",
          "topics",
          "topics.regex",
          "exactly.once.support",
          "transaction.boundary",
          "errors.tolerance",
          "errors.deadletterqueue.topic.name");

  /** Prefixes of Connect's own key families. */
  private static final List<String> CONNECT_PREFIXES =
      List.of("topic.creation.", "producer.override.", "consumer.override.");

  private ConnectorExamples() {}

  /** The {@code config} object of an example, or the example itself when it is a bare config. */
  static Map<String, String> config(JsonNode example) {
    JsonNode config = example.has("config") ? example.get("config") : example;
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  static boolean isSink(Map<String, String> config) {
    return config.getOrDefault("connector.class", "").endsWith("SinkConnector");
  }

  /** Asserts that one example uses only defined keys and valid spec and topic-creation values. */
  static void check(String where, Map<String, String> config) throws Exception {
    Set<String> defined =
        isSink(config) ? SinkConfig.configDef().names() : SourceConfig.configDef().names();
    for (String key : config.keySet()) {
      boolean known =
          defined.contains(key)
              || CONNECT_KEYS.contains(key)
              || CONNECT_PREFIXES.stream().anyMatch(key::startsWith)
              || key.startsWith(PluginConfig.PLUGIN_ENV_PREFIX)
              || key.startsWith(PluginConfig.PLUGIN_SPEC_VAR_PREFIX)
              || key.startsWith(SourceStateKeys.STATE_MIRROR_SPEC_VAR_PREFIX);
      assertThat(known).as(where + ": key '" + key + "' is defined").isTrue();
    }
    for (String spec :
        List.of(PluginConfig.PLUGIN_SPEC_CONFIG, SourceStateKeys.STATE_MIRROR_SPEC_CONFIG)) {
      String text = config.getOrDefault(spec, "null");
      assertThat(JSON.readTree(text.isEmpty() ? "null" : text))
          .as(where + ": " + spec + " is JSON")
          .isNotNull();
      assertThat(text)
          .as(
              where
                  + ": "
                  + spec
                  + " holds a raw config provider placeholder; use ${NAME} and "
                  + spec
                  + ".var.NAME")
          .doesNotContain("${env:", "${dir:", "${file:");
    }
    boolean partitions = config.containsKey("topic.creation.default.partitions");
    boolean replication = config.containsKey("topic.creation.default.replication.factor");
    assertThat(partitions)
        .as(where + ": Connect needs both topic.creation.default keys, or neither")
        .isEqualTo(replication);
  }

  /** The state topic a source example writes to, or null when it keeps no state. */
  static String stateTopic(Map<String, String> source) {
    SourceConfig config = new SourceConfig(source);
    return config.stateTableName().isPresent() ? config.stateTopic() : null;
  }

  /**
   * Asserts that every sink's {@code topics.regex} among {@code examples} matches a table topic of
   * a source among them (when it names one) and none of their state topics.
   */
  static void checkSubscriptions(String where, List<Map<String, String>> examples) {
    List<Map<String, String>> sources = new ArrayList<>();
    for (Map<String, String> example : examples) {
      if (!isSink(example)) {
        sources.add(example);
      }
    }
    for (Map<String, String> sink : examples) {
      String regex = sink.get("topics.regex");
      if (!isSink(sink) || regex == null) {
        continue;
      }
      Pattern pattern = Pattern.compile(regex);
      for (Map<String, String> source : sources) {
        String prefix = source.getOrDefault(SourceConfig.TOPIC_PREFIX_CONFIG, "");
        String state = stateTopic(source);
        if (state == null || !pattern.matcher(prefix + "some_table").matches()) {
          continue;
        }
        assertThat(pattern.matcher(state).matches())
            .as(where + ": topics.regex " + regex + " also matches the state topic " + state)
            .isFalse();
      }
    }
  }
}
