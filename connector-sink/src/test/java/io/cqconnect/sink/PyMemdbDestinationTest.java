package io.cqconnect.sink;

import static io.cqconnect.sink.SinkTaskFixture.commit;
import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.ReadStream;
import io.cqconnect.plugin.proto.v3.Read;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink on the Python SDK's memdb plugin (dialled with {@code plugin.address}), the cases of
 * {@link DestinationContract} checked by reading the rows back over the protocol's {@code Read}.
 * memdb keeps every inserted record as it came and answers {@code Read} with the records of the
 * table; the cases that need more of a destination are disabled, each naming the memdb behaviour.
 */
class PyMemdbDestinationTest {

  private static final Instant T1 = DestinationContract.T1;
  private static final Instant T2 = DestinationContract.T2;
  private static final TopicPartition ITEMS = DestinationContract.ITEMS;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final BufferAllocator allocator = new RootAllocator();
  private final SinkTaskFixture tasks = new SinkTaskFixture();
  private PyMemdbServer memdb;

  @BeforeEach
  void startMemdb() {
    memdb = PyMemdbServer.start(dir);
  }

  @AfterEach
  void stop() {
    tasks.close();
    memdb.close();
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  private CloudQuerySinkTask start(String... keyValues) {
    return tasks.start(
        "sink-pymemdb",
        new FakeContext(false),
        Map.of("plugin.address", memdb.target(), "plugin.spec", "{\"concurrency\":10}"),
        keyValues);
  }

  private static List<SinkRecord> rows(
      TestRecords records, long firstOffset, Instant syncTime, String source, long... ids) {
    return DestinationContract.rows(records, firstOffset, syncTime, source, ids);
  }

  /**
   * Every row memdb returns for {@code table} over Read, projected on {@code columns} (by name; a
   * column missing from a record reads as null), sorted by the projected values.
   */
  private List<List<Object>> readBack(String table, String... columns) throws Exception {
    ReadStream read =
        memdb
            .reader()
            .client()
            .read(ArrowIpc.schemaToBytes(TestRecords.arrowSchema(table, false)), WAIT);
    List<List<Object>> out = new ArrayList<>();
    Read.Response r;
    while ((r = read.poll(WAIT)) != null) {
      try (VectorSchemaRoot root = ArrowIpc.recordFromBytes(r.getRecord(), allocator)) {
        for (int i = 0; i < root.getRowCount(); i++) {
          List<Object> row = new ArrayList<>();
          for (String column : columns) {
            FieldVector v = root.getVector(column);
            Object value = v == null ? null : v.getObject(i);
            row.add(value instanceof Text t ? t.toString() : value);
          }
          out.add(row);
        }
      }
    }
    assertThat(read.isFinished()).as("Read of %s finished", table).isTrue();
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void shouldKeepTwoCopiesWhenAppendingTheSameRowsTwice() throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "append");
    task.put(rows(items, 0, T1, "src", 1, 2, 3));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(3));
    task.put(rows(items, 3, T2, "src", 1, 2, 3));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(6));

    String t1 = "@" + T1.getEpochSecond();
    String t2 = "@" + T2.getEpochSecond();
    assertThat(readBack("items", "id", "name", "_cq_source_name"))
        .containsExactly(
            row(1L, "n1" + t1, "src"),
            row(1L, "n1" + t2, "src"),
            row(2L, "n2" + t1, "src"),
            row(2L, "n2" + t2, "src"),
            row(3L, "n3" + t1, "src"),
            row(3L, "n3" + t2, "src"));
  }

  @Test
  @Disabled(
      "Python memdb's write appends every insert record and never upserts on the primary key,"
          + " so both copies of each id stay")
  void shouldKeepOneCopyWithTheLatestValuesWhenOverwritingTheSameRowsTwice() throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(rows(items, 0, T1, "src", 1, 2, 3));
    commit(task, ITEMS);
    task.put(rows(items, 3, T2, "src", 1, 2, 3));
    commit(task, ITEMS);

    String t2 = "@" + T2.getEpochSecond();
    assertThat(readBack("items", "id", "name", "_cq_source_name"))
        .containsExactly(
            row(1L, "n1" + t2, "src"), row(2L, "n2" + t2, "src"), row(3L, "n3" + t2, "src"));
  }

  @Test
  @Disabled(
      "Python memdb's write raises NotImplementedError on a WriteDeleteStale message, so the"
          + " end-of-sync delete fails the Write stream")
  void shouldDeleteOnlyOlderRowsOfThatSourceWhenSyncEnds() throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite-delete-stale", "retry.max", "0");
    List<SinkRecord> first = new ArrayList<>(rows(items, 0, T1, "src", 1, 2, 3));
    first.addAll(rows(items, 3, T1, "other", 100));
    first.add(items.marker(4, T1, "src", false));
    task.put(first);
    List<SinkRecord> second = new ArrayList<>(rows(items, 5, T2, "src", 1, 2));
    second.add(items.marker(7, T2, "src", false));
    task.put(second);

    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(8));
    String t2 = "@" + T2.getEpochSecond();
    assertThat(readBack("items", "id", "name", "_cq_source_name"))
        .containsExactly(
            row(1L, "n1" + t2, "src"),
            row(100L, "n100@" + T1.getEpochSecond(), "other"),
            row(2L, "n2" + t2, "src"));
  }

  @Test
  @Disabled(
      "the Python SDK's Write servicer raises NotImplementedError on a delete_record message"
          + " (it knows only migrate_table, insert and delete), so a tombstone fails the stream")
  void shouldDeleteTheRowWhenATombstoneArrives() throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite", "retry.max", "0");
    task.put(rows(items, 0, T1, "src", 1, 2, 3));
    task.put(List.of(items.tombstone(3, 2, T1, "src")));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(4));

    assertThat(readBack("items", "id")).containsExactly(row(1L), row(3L));
  }

  @Test
  void shouldReadTheNewColumnAsNullForOlderRowsWhenItAppearsBetweenFlushes() throws Exception {
    TestRecords before = new TestRecords("items", "items");
    TestRecords after = new TestRecords("items", "items", "note");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(rows(before, 0, T1, "src", 1));
    commit(task, ITEMS);
    task.put(List.of(after.row(1, 2, "two", T2, "src", "added")));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(2));

    // memdb returns each record with the columns it was written with: the first has no note.
    assertThat(readBack("items", "id", "name", "note"))
        .containsExactly(row(1L, "n1@" + T1.getEpochSecond(), null), row(2L, "two", "added"));
  }

  @Test
  @Disabled(
      "Python memdb's write ignores migrate_table, so no schema change is unsafe: the append"
          + " that drops the primary key is accepted")
  void shouldFailWithTheDestinationMessageWhenAChangeIsUnsafeAndMigrateModeIsSafe()
      throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask upsert = start("write.mode", "overwrite");
    upsert.put(rows(items, 0, T1, "src", 1, 2));
    commit(upsert, ITEMS);
    CloudQuerySinkTask append =
        start("write.mode", "append", "batch.max.rows", "1", "retry.max", "0");

    append.put(rows(items, 2, T2, "src", 3));

    assertThat(CloudQuerySinkTaskTest.putUntilFailure(append)).hasMessageContaining("unsafe");
    assertThat(readBack("items", "id")).containsExactly(row(1L), row(2L));
  }

  @Test
  @Disabled(
      "Python memdb's write ignores migrate_table and its migrate_force, so it never drops the"
          + " table: the rows written before the forced migration stay")
  void shouldRecreateTheTableWhenAChangeIsUnsafeAndMigrateModeIsForced() throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask upsert = start("write.mode", "overwrite");
    upsert.put(rows(items, 0, T1, "src", 1, 2));
    commit(upsert, ITEMS);
    CloudQuerySinkTask append = start("write.mode", "append", "migrate.mode", "forced");
    append.put(rows(items, 2, T2, "src", 3, 3));
    assertThat(commit(append, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(4));

    assertThat(readBack("items", "id")).containsExactly(row(3L), row(3L));
  }

  @Test
  void shouldRedialAndReplayTheRowsWhenTheDialledPluginIsRestartedMidStream() throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "append", "retry.backoff.ms", "10");
    task.put(rows(items, 0, T1, "src", 1, 2, 3)); // sent on an open stream, not yet confirmed
    memdb.kill();
    memdb.restart(); // a fresh, empty memdb at the same address

    assertThat(commit(task, ITEMS)).isEmpty();
    task.put(List.of()); // Connect calls put again after the backoff
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(3));

    assertThat(readBack("items", "id")).containsExactly(row(1L), row(2L), row(3L));
  }
}
