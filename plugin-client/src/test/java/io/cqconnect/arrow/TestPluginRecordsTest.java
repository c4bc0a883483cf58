package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Arrow from CloudQuery's Go {@code test} source plugin (every type the Go SDK emits, with its
 * extension types): every table schema maps to Connect and back to an equal schema, and every row
 * maps to valid Connect structs and back to equal Arrow data.
 */
class TestPluginRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private BufferAllocator allocator;
  private PluginConnection plugin;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    if (plugin != null) {
      plugin.close();
    }
    assertThat(allocator.getAllocatedMemory()).as("leaked Arrow memory").isZero();
    allocator.close();
  }

  @Test
  void shouldMapEveryTableAndRowOfTheGoTestPluginToConnectAndBack() throws Exception {
    plugin = Fixtures.start(Fixtures.SOURCE_TEST, "tcp");
    plugin
        .client()
        .init("{\"num_rows\":7,\"num_sub_rows\":2}".getBytes(StandardCharsets.UTF_8), false);
    SyncStream stream =
        plugin
            .client()
            .sync(
                Sync.Request.newBuilder()
                    .addTables("*")
                    .addAllSkipTables(Fixtures.SOURCE_TEST_SKIP)
                    .setWithErrorMessages(true)
                    .build());
    Map<String, ArrowToConnect> lossy = new HashMap<>();
    Map<String, ArrowToConnect> exact = new HashMap<>();
    ConnectToArrow back = new ConnectToArrow();
    int rows = 0;
    Sync.Response message;
    while ((message = stream.poll(WAIT)) != null) {
      if (message.hasMigrateTable()) {
        Schema schema = ArrowIpc.schemaFromBytes(message.getMigrateTable().getTable());
        CqTable table = CqTable.fromSchema(schema);
        ArrowToConnect mapper = new ArrowToConnect(table);
        assertThat(
                back.arrowSchema(
                    table.name(), mapper.valueSchema(), Set.copyOf(table.primaryKeys())))
            .as("schema of %s", table.name())
            .isEqualTo(schema);
        lossy.put(table.name(), mapper);
        exact.put(table.name(), new ArrowToConnect(table, TimestampMapping.EXACT));
      } else if (message.hasInsert()) {
        rows += checkRecord(message.getInsert().getRecord(), lossy, exact, back);
      }
    }

    // The plugin's all-types table: 79 columns, including a struct and a list of each type.
    assertThat(lossy).containsKeys("test_some_table", "test_sub_table", "test_testdata_table");
    assertThat(lossy.get("test_testdata_table").table().columns()).hasSizeGreaterThan(70);
    assertThat(rows).isGreaterThanOrEqualTo(7);
  }

  private int checkRecord(
      ByteString record,
      Map<String, ArrowToConnect> lossy,
      Map<String, ArrowToConnect> exact,
      ConnectToArrow back) {
    try (VectorSchemaRoot root = ArrowIpc.recordFromBytes(record, allocator)) {
      String name = CqTable.fromSchema(root.getSchema()).name();
      ArrowToConnect exactMapper = exact.get(name);
      List<Struct> values = new ArrayList<>();
      for (int row = 0; row < root.getRowCount(); row++) {
        lossy.get(name).value(root, row).validate();
        Struct key = lossy.get(name).key(root, row);
        if (key != null) {
          key.validate();
        }
        Struct value = exactMapper.value(root, row);
        value.validate();
        values.add(value);
      }
      Schema rebuiltSchema =
          back.arrowSchema(
              name, exactMapper.valueSchema(), Set.copyOf(exactMapper.table().primaryKeys()));
      try (VectorSchemaRoot rebuilt = back.toArrow(rebuiltSchema, values, allocator)) {
        for (int c = 0; c < root.getFieldVectors().size(); c++) {
          // Compare values and types; Arrow's IPC reader drops the metadata of nested child
          // vectors' fields (the schema keeps it, and the schema is compared above).
          assertThat(
                  VectorEqualsVisitor.vectorEquals(
                      root.getVector(c),
                      rebuilt.getVector(c),
                      (x, y) -> x.getField().getType().equals(y.getField().getType())))
              .as("table %s column %s", name, root.getVector(c).getName())
              .isTrue();
        }
        try (VectorSchemaRoot again =
            ArrowIpc.recordFromBytes(ArrowIpc.recordToBytes(rebuilt), allocator)) {
          assertThat(again.getSchema()).isEqualTo(root.getSchema());
          assertThat(again.getRowCount()).isEqualTo(root.getRowCount());
        }
      }
      return root.getRowCount();
    }
  }
}
