package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole table of CloudQuery's Go test plugin, schema and data, through both mappings. */
class CloudQueryTestTableTest {

  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    assertThat(allocator.getAllocatedMemory()).as("leaked Arrow memory").isZero();
    allocator.close();
  }

  @Test
  void shouldMapEveryColumnOfTheTestTableAndBackToAnEqualSchema() {
    Schema schema = TestTables.cloudQueryTestTable("test_some_table");
    // Go's test table has 38 base columns, a struct, 38 lists (not json) and 2 maps of each.
    assertThat(schema.getFields()).hasSize(2 + 38 + 1 + 38 + 2 * 77);
    CqTable table = CqTable.fromSchema(ArrowIpc.schemaFromBytes(ArrowIpc.schemaToBytes(schema)));

    ArrowToConnect toConnect = new ArrowToConnect(table);
    Schema back =
        new ConnectToArrow()
            .arrowSchema(table.name(), toConnect.valueSchema(), Set.copyOf(table.primaryKeys()));

    assertThat(back).isEqualTo(schema);
    assertThat(toConnect.valueSchema().name()).isEqualTo("cq.test_some_table.Value");
    assertThat(toConnect.keySchema().name()).isEqualTo("cq.test_some_table.Key");
    assertThat(toConnect.keySchema().fields()).extracting(f -> f.name()).containsExactly("id");
    assertThat(toConnect.valueSchema().doc()).isEqualTo("Testing table");
    assertThat(toConnect.valueSchema().parameters())
        .containsEntry(CqMetadata.TABLE_NAME, "test_some_table")
        .containsEntry(CqMetadata.CONSTRAINT_NAME, "test_some_table_cqpk");
  }

  @Test
  void shouldRoundTripGeneratedRowsOfTheTestTableIncludingAnAllNullRow() {
    Schema schema = TestTables.cloudQueryTestTable("test_some_table");
    CqTable table = CqTable.fromSchema(schema);
    ArrowToConnect toConnect = new ArrowToConnect(table);
    List<Struct> input = new ArrayList<>();
    for (int row = 0; row < 7; row++) {
      input.add(ConnectValues.row(table.columns(), toConnect.valueSchema(), row, row == 6));
    }
    ConnectToArrow toArrow = new ConnectToArrow();

    try (VectorSchemaRoot first = toArrow.toArrow(schema, input, allocator)) {
      ByteString bytes = ArrowIpc.recordToBytes(first);
      try (VectorSchemaRoot decoded = ArrowIpc.recordFromBytes(bytes, allocator)) {
        ArrowToConnect reader = new ArrowToConnect(CqTable.fromSchema(decoded.getSchema()));
        List<Struct> output = new ArrayList<>();
        for (int row = 0; row < decoded.getRowCount(); row++) {
          Struct value = reader.value(decoded, row);
          value.validate();
          output.add(value);
          assertThat(ConnectValues.normalize(value))
              .as("row %d", row)
              .isEqualTo(ConnectValues.normalize(input.get(row)));
        }
        try (VectorSchemaRoot second = toArrow.toArrow(decoded.getSchema(), output, allocator)) {
          assertThat(second.equals(first))
              .as("first %s%nsecond %s", first.contentToTSVString(), second.contentToTSVString())
              .isTrue();
        }
      }
    }
  }
}
