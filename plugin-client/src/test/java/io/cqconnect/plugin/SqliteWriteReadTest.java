package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Write;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write (migrate, inserts, half-close) into the real SQLite destination, then Read it back. */
class SqliteWriteReadTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private PluginConnection plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldReadBackWhatWasWritten() throws Exception {
    plugin = Fixtures.start(Fixtures.DEST_SQLITE, "unix");
    String spec = "{\"connection_string\":\"" + tmp.resolve("dest.db") + "\"}";
    plugin.client().init(spec.getBytes(StandardCharsets.UTF_8), false);
    Schema schema = itemsSchema();
    ByteString schemaBlob = TestArrow.schemaBlob(schema);

    WriteStream write = plugin.client().openWrite();
    write.send(
        Write.Request.newBuilder()
            .setMigrateTable(Write.MessageMigrateTable.newBuilder().setTable(schemaBlob))
            .build());
    write.send(insert(schema, List.of(1L, 2L), List.of("one", "two")));
    write.send(insert(schema, List.of(3L), List.of("three")));
    Write.Response response = write.complete(WAIT);

    assertThat(response).isEqualTo(Write.Response.getDefaultInstance());
    assertThat(write.sent()).isEqualTo(3);

    ReadStream read = plugin.client().read(schemaBlob);
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Read.Response r;
    while ((r = read.poll(WAIT)) != null) {
      ids.addAll(TestArrow.columnValues(r.getRecord(), "id"));
      names.addAll(TestArrow.columnValues(r.getRecord(), "name"));
    }

    assertThat(read.isFinished()).isTrue();
    assertThat(ids).containsExactlyInAnyOrder("1", "2", "3");
    assertThat(names).containsExactlyInAnyOrder("one", "two", "three");
    plugin.client().close();
  }

  private static Schema itemsSchema() {
    Field id =
        new Field(
            "id",
            new FieldType(
                false,
                new ArrowType.Int(64, true),
                null,
                Map.of("cq:extension:primary_key", "true", "cq:extension:unique", "false")),
            null);
    Field name = new Field("name", new FieldType(true, new ArrowType.Utf8(), null, Map.of()), null);
    return new Schema(List.of(id, name), Map.of("cq:table_name", "cqc_items"));
  }

  private static Write.Request insert(Schema schema, List<Long> ids, List<String> names) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, TestArrow.ALLOCATOR)) {
      BigIntVector id = (BigIntVector) root.getVector("id");
      VarCharVector name = (VarCharVector) root.getVector("name");
      for (int i = 0; i < ids.size(); i++) {
        id.setSafe(i, ids.get(i));
        name.setSafe(i, names.get(i).getBytes(StandardCharsets.UTF_8));
      }
      root.setRowCount(ids.size());
      return Write.Request.newBuilder()
          .setInsert(Write.MessageInsert.newBuilder().setRecord(TestArrow.recordBlob(root)))
          .build();
    }
  }
}
