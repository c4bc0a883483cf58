package io.cqconnect.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * The demo plugin's own {@code spec} (Init's JSON): {@code events_per_sync} new events per sync
 * (default 50), {@code users} rows of the full-refresh table (default 5), {@code batch_rows} rows
 * per insert message (default 10) and {@code delay_ms_per_batch} (default 0). {@code null}, empty
 * and {@code {}} give the defaults, as the CLI sends {@code null} for a missing spec.
 */
record DemoSpec(int eventsPerSync, int users, int batchRows, long delayMsPerBatch) {

  static final DemoSpec DEFAULT = new DemoSpec(50, 5, 10, 0);

  /** The JSON schema answered by {@code GetSpecSchema}. */
  static final String JSON_SCHEMA =
      "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":[\"object\",\"null\"],"
          + "\"additionalProperties\":false,\"properties\":{"
          + "\"events_per_sync\":{\"type\":\"integer\",\"minimum\":0,\"default\":50},"
          + "\"users\":{\"type\":\"integer\",\"minimum\":0,\"default\":5},"
          + "\"batch_rows\":{\"type\":\"integer\",\"minimum\":1,\"default\":10},"
          + "\"delay_ms_per_batch\":{\"type\":\"integer\",\"minimum\":0,\"default\":0}}}";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("events_per_sync", "users", "batch_rows", "delay_ms_per_batch");

  /**
   * Parses Init's spec bytes.
   *
   * @throws IllegalArgumentException naming the field and what it must be
   */
  static DemoSpec parse(byte[] spec) {
    String text = new String(spec, StandardCharsets.UTF_8).trim();
    if (text.isEmpty() || text.equals("null")) {
      return DEFAULT;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "spec is not valid JSON ("
              + e.getOriginalMessage()
              + "); expected an object such as"
              + " {\"events_per_sync\":50}");
    }
    if (node == null || node.isNull()) {
      return DEFAULT;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "spec must be a JSON object such as {\"events_per_sync\":50}, got " + node.getNodeType());
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown spec field '"
                + name
                + "'; known fields: "
                + FIELDS.stream().sorted().toList());
      }
    }
    return new DemoSpec(
        intField(node, "events_per_sync", DEFAULT.eventsPerSync, 0),
        intField(node, "users", DEFAULT.users, 0),
        intField(node, "batch_rows", DEFAULT.batchRows, 1),
        intField(node, "delay_ms_per_batch", (int) DEFAULT.delayMsPerBatch, 0));
  }

  private static int intField(JsonNode node, String name, int fallback, int min) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
      throw new IllegalArgumentException(
          "spec field '" + name + "' must be an integer >= " + min + ", got " + v);
    }
    return v.intValue();
  }
}
