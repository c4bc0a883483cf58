package io.cqconnect.it;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.ReadStream;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a plugin emitted and what a destination holds, in one comparable form: each row as the text
 * of every column's Arrow value (binary as hex), decoded straight from the plugin's Arrow records
 * and from the destination's own {@code Read} of the table (which runs SQL on its database), with
 * no Kafka Connect mapping in between.
 */
final class SinkReadBack {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private SinkReadBack() {}

  /** One synced table: the schema of its records and its rows. */
  record Table(String name, Schema schema, boolean cqIdOnlyKey, List<Map<String, String>> rows) {}

  /** Syncs the fixture source once (deterministic {@code _cq_id}) and returns its tables. */
  static Map<String, Table> bareSync(String plugin, String spec) throws InterruptedException {
    Map<String, Schema> schemas = new LinkedHashMap<>();
    Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();
    try (PluginConnection connection = Fixtures.start(plugin, "tcp");
        RootAllocator allocator = new RootAllocator()) {
      connection.client().init(spec.getBytes(StandardCharsets.UTF_8), false);
      Sync.Request request =
          Sync.Request.newBuilder()
              .addTables("*")
              .addAllSkipTables(Fixtures.skipTablesOf(plugin))
              .setSkipDependentTables(true)
              .setDeterministicCqId(true)
              .build();
      try (SyncStream stream = connection.client().sync(request)) {
        while (true) {
          Sync.Response message = stream.poll(WAIT);
          if (message == null) {
            if (stream.isFinished()) {
              break;
            }
            continue;
          }
          if (message.hasInsert()) {
            try (VectorSchemaRoot root =
                ArrowIpc.recordFromBytes(message.getInsert().getRecord(), allocator)) {
              CqTable table = CqTable.fromSchema(root.getSchema());
              schemas.putIfAbsent(table.name(), root.getSchema());
              boolean dropIds = cqIdOnlyKey(table);
              for (int row = 0; row < root.getRowCount(); row++) {
                rows.computeIfAbsent(table.name(), n -> new ArrayList<>())
                    .add(canonical(root, row, dropIds));
              }
            }
          }
        }
      }
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    schemas.forEach(
        (name, schema) ->
            tables.put(
                name,
                new Table(name, schema, cqIdOnlyKey(CqTable.fromSchema(schema)), rows.get(name))));
    return tables;
  }

  /** The rows of {@code table} as the destination plugin reads them back, with the same columns. */
  static List<Map<String, String>> readBack(String destination, String destinationSpec, Table table)
      throws InterruptedException {
    List<Map<String, String>> out = new ArrayList<>();
    try (PluginConnection connection = Fixtures.start(destination, "tcp");
        RootAllocator allocator = new RootAllocator()) {
      connection.client().init(destinationSpec.getBytes(StandardCharsets.UTF_8), false);
      try (ReadStream read =
          connection.client().read(ArrowIpc.schemaToBytes(table.schema()), WAIT)) {
        Read.Response response;
        while ((response = read.poll(WAIT)) != null) {
          ArrowIpc.forEachBatch(
              response.getRecord(),
              allocator,
              root -> {
                for (int row = 0; row < root.getRowCount(); row++) {
                  out.add(canonical(root, row, table.cqIdOnlyKey()));
                }
              });
        }
      }
    }
    return out;
  }

  /**
   * A table whose only key is {@code _cq_id} gets random ids on every sync (the SDK derives them
   * from key columns only), so there the ids are left out of the comparison.
   */
  private static boolean cqIdOnlyKey(CqTable table) {
    return table.primaryKeys().isEmpty() || table.primaryKeys().equals(List.of(CqMetadata.CQ_ID));
  }

  static Map<String, String> canonical(VectorSchemaRoot root, int row, boolean dropIds) {
    Map<String, String> values = new TreeMap<>();
    for (FieldVector vector : root.getFieldVectors()) {
      String name = vector.getName();
      if (dropIds && (name.equals(CqMetadata.CQ_ID) || name.equals(CqMetadata.CQ_PARENT_ID))) {
        continue;
      }
      Object value = vector.getObject(row);
      values.put(
          name,
          value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(value));
    }
    return values;
  }

  /** The rows as sorted text, without the {@code skipped} columns. */
  static List<String> comparable(List<Map<String, String>> rows, java.util.Set<String> skipped) {
    List<String> out = new ArrayList<>();
    for (Map<String, String> row : rows) {
      Map<String, String> kept = new TreeMap<>(row);
      kept.keySet().removeAll(skipped);
      out.add(kept.toString());
    }
    out.sort(null);
    return out;
  }
}
