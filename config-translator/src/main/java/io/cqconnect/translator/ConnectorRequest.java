package io.cqconnect.translator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kafka Connect REST request: a connector name and its config, as {@code POST /connectors}
 * takes it ({@code {"name":..., "config":{...}}}); {@code PUT /connectors/<name>/config} takes the
 * config alone.
 */
public record ConnectorRequest(String name, Map<String, String> config) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keeps the config's order (the order keys are printed in). */
  public ConnectorRequest {
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** {@code {"name":..., "config":{...}}}. */
  public ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", name);
    node.set("config", configJson());
    return node;
  }

  /** The config alone, the body of {@code PUT /connectors/<name>/config}. */
  public ObjectNode configJson() {
    ObjectNode config = JSON.createObjectNode();
    this.config.forEach(config::put);
    return config;
  }
}
