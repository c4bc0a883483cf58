package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of a source with {@code record.format=arrow} (a plugin insert's Arrow IPC bytes, header
 * {@code cq.format=arrow-ipc}) through the sink task into CloudQuery's SQLite destination: the
 * batch lands as the rows the row format writes, and a value that is not Arrow goes to the errant
 * record reporter (the dead letter queue) while the records around it are written.
 */
class ArrowBatchSinkTest {

  private static final RowBatcher.Limits NO_LIMIT =
      new RowBatcher.Limits(10_000, Long.MAX_VALUE, Long.MAX_VALUE);

  private static final Instant T1 = Instant.parse("2024-05-01T10:00:00.100000Z");

  @TempDir Path dir;
  private final SinkTaskFixture tasks = new SinkTaskFixture();
  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void stop() {
    tasks.close();
    allocator.close();
  }

  @Test
  void shouldWriteABatchAsTheSameRowsTheRowFormatWrites() throws Exception {
    FakeContext context = new FakeContext(false);
    CloudQuerySinkTask task = start(context);
    TestRecords rows = new TestRecords("rows_t", "rows_t");
    TestRecords batch = new TestRecords("batch_t", "batch_t");
    task.put(DestinationContract.rows(rows, 0, T1, "src", 1, 2, 3));
    task.put(List.of(batchRecord(batch, 0, 1, 2, 3)));

    TopicPartition batchTopic = new TopicPartition("batch_t", 0);
    assertThat(SinkTaskFixture.commit(task, batchTopic))
        .containsEntry(batchTopic, new OffsetAndMetadata(1));
    // amount * 2: the values are n.5, and the query helper reads numbers as longs.
    String columns = "id, name, amount * 2, _cq_source_name, _cq_sync_time";
    List<List<Object>> written = query("SELECT " + columns + " FROM batch_t ORDER BY id");
    assertThat(written).hasSize(3);
    assertThat(written.get(0))
        .containsExactly(1L, "n1@" + T1.getEpochSecond(), 3L, "src", written.get(0).get(4));
    assertThat(written).isEqualTo(query("SELECT " + columns + " FROM rows_t ORDER BY id"));
    assertThat(columnsOf("batch_t")).isEqualTo(columnsOf("rows_t"));
  }

  @Test
  void shouldReportAValueThatIsNotArrowAndWriteTheRecordsAroundIt() throws Exception {
    FakeContext context = new FakeContext(true);
    CloudQuerySinkTask task = start(context);
    TestRecords items = new TestRecords("items", "items");
    SinkRecord garbage =
        record(
            items.topic,
            1,
            "not arrow".getBytes(StandardCharsets.UTF_8),
            3,
            Schema.OPTIONAL_BYTES_SCHEMA);
    SinkRecord text = record(items.topic, 2, "also not arrow", 1, Schema.OPTIONAL_STRING_SCHEMA);
    task.put(List.of(batchRecord(items, 0, 1, 2), garbage, text, batchRecord(items, 3, 3)));

    TopicPartition tp = new TopicPartition("items", 0);
    assertThat(SinkTaskFixture.commit(task, tp)).containsEntry(tp, new OffsetAndMetadata(4));
    assertThat(context.reported).containsExactly(garbage, text);
    assertThat(context.reportedErrors.get(0))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'items' partition 0 offset 1")
        .hasMessageContaining("not an Arrow IPC stream");
    assertThat(context.reportedErrors.get(1))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("not bytes")
        .hasMessageContaining("ByteArrayConverter");
    assertThat(query("SELECT id FROM items ORDER BY id"))
        .containsExactly(List.of(1L), List.of(2L), List.of(3L));
  }

  @Test
  void shouldForwardTheBatchColumnsAsTheyCameWhenTheShapeKeepsTheirTypes() {
    TableShapes shapes = new TableShapes(WriteMode.OVERWRITE, PkMode.DEFAULT, new ConnectToArrow());
    TestRecords items = new TestRecords("items", "items");
    try (ArrowBatches batches = new ArrowBatches(shapes, allocator, NO_LIMIT)) {
      IncomingRecord in =
          IncomingRecord.classify(
              batchRecord(items, 0, 1, 2), Map.of(), null, new IncomingRecord.SyncTimes());
      assertThat(in.kind()).isEqualTo(IncomingRecord.Kind.ARROW_BATCH);

      ArrowBatches.Result result = batches.decode(in);

      assertThat(result.rows()).as("no per-row fallback").isNull();
      assertThat(result.insert().rows()).isEqualTo(2);
      assertThat(result.insert().shape()).isSameAs(result.shape());
      try (VectorSchemaRoot sent = ArrowIpc.recordFromBytes(result.insert().record(), allocator)) {
        assertThat(sent.getSchema()).isEqualTo(result.shape().schema());
        assertThat(sent.getRowCount()).isEqualTo(2);
        assertThat(sent.getVector("_cq_source_name").getObject(1).toString()).isEqualTo("src");
        assertThat(sent.getVector("id").getObject(1)).isEqualTo(2L);
      }
      // The row format's records of the same table get the same shape (one migrate_table).
      SinkRecord row = items.row(5, 1, "x", T1, "src");
      assertThat(shapes.shapeFor("items", row.valueSchema(), row.keySchema()).schema())
          .isEqualTo(result.shape().schema());
    }
  }

  @Test
  void shouldHandABatchAboveTheByteLimitToTheRowPathWhichSplitsIt() {
    TableShapes shapes = new TableShapes(WriteMode.OVERWRITE, PkMode.DEFAULT, new ConnectToArrow());
    TestRecords items = new TestRecords("items", "items");
    RowBatcher.Limits oneByte = new RowBatcher.Limits(10_000, 1, Integer.MAX_VALUE);
    try (ArrowBatches batches = new ArrowBatches(shapes, allocator, oneByte)) {
      IncomingRecord in =
          IncomingRecord.classify(
              batchRecord(items, 0, 1, 2), Map.of(), null, new IncomingRecord.SyncTimes());

      ArrowBatches.Result result = batches.decode(in);

      assertThat(result.insert()).as("no insert above batch.max.bytes").isNull();
      assertThat(result.rows()).extracting(r -> r.get("id")).containsExactly(1L, 2L);
    }
  }

  private CloudQuerySinkTask start(FakeContext context) {
    return tasks.start(
        "arrow-sink",
        context,
        Map.of(
            "plugin.path",
            Fixtures.binary(Fixtures.DEST_SQLITE).toString(),
            "plugin.args",
            "--no-sentry",
            "plugin.spec",
            "{\"connection_string\":\"" + dir.resolve("sink.db") + "\"}"),
        "write.mode",
        "overwrite");
  }

  /** What the source writes for a plugin insert of these rows: its Arrow IPC bytes. */
  private SinkRecord batchRecord(TestRecords table, long offset, long... ids) {
    List<Struct> values = new ArrayList<>();
    for (long id : ids) {
      values.add(
          (Struct) table.row(0, id, "n" + id + "@" + T1.getEpochSecond(), T1, "src").value());
    }
    byte[] bytes;
    try (VectorSchemaRoot root =
        new ConnectToArrow()
            .toArrow(TestRecords.arrowSchema(table.table, false), values, allocator)) {
      bytes = ArrowIpc.recordToBytes(root).toByteArray();
    }
    return record(table.topic, offset, bytes, ids.length, Schema.OPTIONAL_BYTES_SCHEMA);
  }

  private static SinkRecord record(
      String topic, long offset, Object value, int rows, Schema schema) {
    Headers headers = TestRecords.headers(topic, "src", T1);
    headers.addString(SyncHeaders.FORMAT, SyncHeaders.ARROW_IPC);
    headers.addInt(SyncHeaders.ROWS, rows);
    return new SinkRecord(
        topic,
        0,
        null,
        null,
        schema,
        value,
        offset,
        null,
        TimestampType.NO_TIMESTAMP_TYPE,
        headers);
  }

  private List<List<Object>> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sink.db"))) {
      return DestinationContract.query(c, sql);
    }
  }

  private List<String> columnsOf(String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sink.db"));
        ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
      while (rs.next()) {
        names.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
      }
    }
    return names;
  }
}
