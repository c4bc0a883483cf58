package io.cqconnect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * The reference a connector test compares against: the same plugin synced by a bare protocol
 * client, each row decoded and rendered as the JSON converter renders it (without schema).
 */
final class BareSync {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BareSync() {}

  /** Rows by table, each as canonical JSON {@code {"key":..,"value":..}}. */
  static Map<String, List<String>> rowsByTable(
      String plugin, String spec, boolean deterministicCqId) throws InterruptedException {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    Map<String, List<String>> rows = new HashMap<>();
    Map<String, ArrowToConnect> tables = new HashMap<>();
    try (PluginConnection connection = Fixtures.start(plugin, "tcp");
        RootAllocator allocator = new RootAllocator()) {
      connection.client().init(spec.getBytes(StandardCharsets.UTF_8), false);
      Sync.Request request =
          Sync.Request.newBuilder()
              .addTables("*")
              .addAllSkipTables(Fixtures.skipTablesOf(plugin))
              .setSkipDependentTables(true)
              .setDeterministicCqId(deterministicCqId)
              .build();
      try (SyncStream stream = connection.client().sync(request)) {
        while (true) {
          Sync.Response message = stream.poll(Duration.ofSeconds(60));
          if (message == null) {
            if (stream.isFinished()) {
              break;
            }
            continue;
          }
          if (message.hasMigrateTable()) {
            CqTable announced =
                CqTable.fromSchema(ArrowIpc.schemaFromBytes(message.getMigrateTable().getTable()));
            tables.put(announced.name(), new ArrowToConnect(announced));
          }
          if (message.hasInsert()) {
            try (VectorSchemaRoot root =
                ArrowIpc.recordFromBytes(message.getInsert().getRecord(), allocator)) {
              // The announced table decides the keys, as for the connector and the CLI (with
              // deterministic_cq_id the Go SDK announces _cq_id as the only key while its
              // records flag the natural key); a record with other columns is mapped as it is.
              CqTable table = CqTable.fromSchema(root.getSchema());
              ArrowToConnect convert =
                  tables.compute(
                      table.name(),
                      (n, known) ->
                          known != null && known.table().sameColumnsAs(root.getSchema())
                              ? known
                              : new ArrowToConnect(table));
              for (int row = 0; row < root.getRowCount(); row++) {
                JsonNode key =
                    parse(
                        converter.fromConnectData(
                            table.name(), convert.keySchema(), convert.key(root, row)));
                JsonNode value =
                    parse(
                        converter.fromConnectData(
                            table.name(), convert.valueSchema(), convert.value(root, row)));
                rows.computeIfAbsent(table.name(), n -> new ArrayList<>())
                    .add(canonical(key, value));
              }
            }
          }
        }
      }
    }
    return rows;
  }

  /**
   * One row as comparable text. A table without a primary key gets a random {@code _cq_id} per sync
   * (the SDK only derives it from key columns), so there it is left out of the comparison.
   */
  static String canonical(JsonNode key, JsonNode value) {
    if (key != null && key.size() == 1 && key.has("_cq_id") && value instanceof ObjectNode v) {
      value = v.deepCopy().without(List.of("_cq_id", "_cq_parent_id"));
      key = null;
    }
    if (value != null) {
      value = withoutClockValues(value.deepCopy());
    }
    Map<String, JsonNode> pair = new java.util.TreeMap<>();
    pair.put("key", key);
    pair.put("value", value);
    try {
      return JSON.writeValueAsString(pair);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test plugin fills its time and timestamp columns from the clock at sync time, so two syncs
   * differ there: those values are replaced by their JSON type (still checked: same columns, same
   * nulls, same kind of value).
   */
  private static JsonNode withoutClockValues(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode child = object.get(name);
        if (name.startsWith("time32")
            || name.startsWith("time64")
            || name.startsWith("timestamp")) {
          object.put(name, child.isArray() ? "array" : child.getNodeType().name());
        } else {
          object.set(name, withoutClockValues(child));
        }
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, withoutClockValues(array.get(i)));
      }
    }
    return node;
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return bytes == null ? null : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
