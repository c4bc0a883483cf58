package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.util.HashMap;
import java.util.Map;

/** Sink connector configs over the fixture destination plugins, as a user would POST them. */
final class SinkConnectors {

  static final String CONNECTOR_CLASS = "io.cqconnect.sink.CloudQuerySinkConnector";

  private SinkConnectors() {}

  /** A sink writing {@code topics} (comma-separated) through fixture {@code plugin}. */
  static Map<String, String> forFixture(
      String plugin, String spec, String topics, String writeMode) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", CONNECTOR_CLASS);
    props.put("tasks.max", "1");
    props.put("topics", topics);
    props.put("plugin.path", Fixtures.binary(plugin).toString());
    if (Fixtures.isGo(plugin)) {
      props.put("plugin.args", "--no-sentry");
    } else {
      props.put("plugin.network", "grpc-unix");
    }
    props.put("plugin.spec", spec);
    props.put("write.mode", writeMode);
    props.put("retry.backoff.ms", "500");
    return props;
  }
}
