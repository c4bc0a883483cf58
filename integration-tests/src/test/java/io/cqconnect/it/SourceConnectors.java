package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.util.HashMap;
import java.util.Map;

/**
 * Connector configs of the source connector over our fixture plugins, as a user would POST them.
 */
final class SourceConnectors {

  static final String CONNECTOR_CLASS = "io.cqconnect.source.CloudQuerySourceConnector";

  private SourceConnectors() {}

  /**
   * A source connector launching fixture {@code plugin} with {@code spec}, topics {@code
   * <name>.<table>}.
   */
  static Map<String, String> forFixture(String name, String plugin, String spec) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", CONNECTOR_CLASS);
    props.put("tasks.max", "1");
    props.put("plugin.path", Fixtures.binary(plugin).toString());
    if (Fixtures.isGo(plugin)) {
      props.put("plugin.args", "--no-sentry");
    } else {
      props.put("plugin.network", "grpc-unix");
    }
    props.put("plugin.spec", spec);
    props.put("tables", "*");
    if (!Fixtures.skipTablesOf(plugin).isEmpty()) {
      props.put("skip.tables", String.join(",", Fixtures.skipTablesOf(plugin)));
    }
    props.put("topic.prefix", name + ".");
    props.put("sync.interval.ms", "0");
    props.put("plugin.restart.backoff.initial.ms", "200");
    props.put("plugin.restart.backoff.max.ms", "2000");
    return props;
  }
}
