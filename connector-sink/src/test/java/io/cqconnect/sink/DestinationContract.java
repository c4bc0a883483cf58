package io.cqconnect.sink;

import static io.cqconnect.sink.SinkTaskFixture.commit;
import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.TimestampMapping;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sink task against a real CloudQuery destination plugin and its database: CloudQuery's write
 * modes, delete-stale, tombstones and migrations, checked by reading the tables back over JDBC.
 */
abstract class DestinationContract {

  static final Instant T1 = Instant.parse("2024-05-01T10:00:00.100000Z");
  static final Instant T2 = Instant.parse("2024-05-02T10:00:00.200000Z");
  static final TopicPartition ITEMS = new TopicPartition("items", 0);

  private final SinkTaskFixture tasks = new SinkTaskFixture();

  /** The plugin.* properties of a sink writing to this test's fresh database. */
  abstract Map<String, String> pluginProps();

  /** A JDBC connection to this test's database. */
  abstract Connection connect() throws SQLException;

  @AfterEach
  void stopTasks() {
    tasks.close();
  }

  CloudQuerySinkTask start(String... keyValues) {
    return tasks.start("sink-contract", new FakeContext(false), pluginProps(), keyValues);
  }

  static List<SinkRecord> rows(
      TestRecords records, long firstOffset, Instant syncTime, String source, long... ids) {
    List<SinkRecord> out = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      out.add(
          records.row(
              firstOffset + i,
              ids[i],
              "n" + ids[i] + "@" + syncTime.getEpochSecond(),
              syncTime,
              source));
    }
    return out;
  }

  List<List<Object>> query(String sql) throws SQLException {
    try (Connection c = connect()) {
      return query(c, sql);
    }
  }

  /** The rows of {@code sql} on {@code c}, numbers as longs. */
  static List<List<Object>> query(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          Object value = rs.getObject(i);
          row.add(value instanceof Number ? ((Number) value).longValue() : value);
        }
        out.add(row);
      }
    }
    return out;
  }

  List<String> columns(String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = connect();
        ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
      while (rs.next()) {
        names.add(rs.getString("COLUMN_NAME"));
      }
    }
    return names;
  }

  @Test
  void shouldKeepTwoCopiesWhenAppendingTheSameRowsTwice() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "append");
    task.put(rows(items, 0, T1, "src", 1, 2, 3));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(3));
    task.put(rows(items, 3, T2, "src", 1, 2, 3));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(6));

    assertThat(query("SELECT id, count(*) FROM items GROUP BY id ORDER BY id"))
        .containsExactly(List.of(1L, 2L), List.of(2L, 2L), List.of(3L, 2L));
  }

  @Test
  void shouldKeepOneCopyWithTheLatestValuesWhenOverwritingTheSameRowsTwice() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(rows(items, 0, T1, "src", 1, 2, 3));
    commit(task, ITEMS);
    task.put(rows(items, 3, T2, "src", 1, 2, 3));
    commit(task, ITEMS);

    String t2 = "@" + T2.getEpochSecond();
    assertThat(query("SELECT id, name, _cq_source_name FROM items ORDER BY id"))
        .containsExactly(
            List.of(1L, "n1" + t2, "src"),
            List.of(2L, "n2" + t2, "src"),
            List.of(3L, "n3" + t2, "src"));
  }

  @Test
  void shouldDeleteOnlyOlderRowsOfThatSourceAndNothingOfAnIncrementalTableWhenSyncEnds()
      throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    TestRecords events = new TestRecords("events", "events", true);
    TopicPartition eventsTp = new TopicPartition("events", 0);
    CloudQuerySinkTask task = start("write.mode", "overwrite-delete-stale");
    List<SinkRecord> first = new ArrayList<>(rows(items, 0, T1, "src", 1, 2, 3));
    first.addAll(rows(items, 3, T1, "other", 100));
    first.add(items.marker(4, T1, "src", false));
    task.put(first);
    task.put(rows(events, 0, T1, "src", 1, 2));
    task.put(List.of(events.marker(2, T1, "src", true)));
    List<SinkRecord> second = new ArrayList<>(rows(items, 5, T2, "src", 1, 2));
    second.add(items.marker(7, T2, "src", false));
    task.put(second);
    task.put(rows(events, 3, T2, "src", 3));
    task.put(List.of(events.marker(4, T2, "src", true)));

    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(8));
    assertThat(commit(task, eventsTp)).containsEntry(eventsTp, new OffsetAndMetadata(5));
    assertThat(query("SELECT id, _cq_source_name FROM items ORDER BY id"))
        .containsExactly(List.of(1L, "src"), List.of(2L, "src"), List.of(100L, "other"));
    assertThat(query("SELECT id FROM events ORDER BY id"))
        .containsExactly(List.of(1L), List.of(2L), List.of(3L));
  }

  @Test
  void shouldCreateATableThatHadNoRowsWhenItsMarkerArrivesAndDeleteStaleNothing()
      throws SQLException {
    TestRecords empty = new TestRecords("empty_items", "empty_items");
    TopicPartition tp = new TopicPartition("empty_items", 0);
    CloudQuerySinkTask task = start("write.mode", "overwrite-delete-stale");
    task.put(List.of(empty.marker(0, T1, "src", false, true)));

    assertThat(commit(task, tp)).containsEntry(tp, new OffsetAndMetadata(1));
    assertThat(columns("empty_items"))
        .containsSubsequence("_cq_sync_time", "_cq_source_name", "_cq_id", "id", "name", "amount");
    assertThat(query("SELECT count(*) FROM empty_items")).containsExactly(List.of(0L));
  }

  @Test
  void shouldFollowTheMarkersDeleteStaleDecision() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite-delete-stale");
    task.put(rows(items, 0, T1, "src", 1, 2));
    task.put(List.of(items.marker(2, T1, "src", false, false)));
    task.put(rows(items, 3, T2, "src", 1));
    task.put(List.of(items.marker(4, T2, "src", false, false)));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(5));
    assertThat(query("SELECT id FROM items ORDER BY id"))
        .as("the source said the CLI would not delete stale rows (child of an incremental table)")
        .containsExactly(List.of(1L), List.of(2L));

    task.put(List.of(items.marker(5, T2, "src", false, true)));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(6));
    assertThat(query("SELECT id FROM items ORDER BY id")).containsExactly(List.of(1L));
  }

  @Test
  void shouldForwardThePluginsDeleteRecordAsItCame() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(rows(items, 0, T1, "src", 1, 2, 3, 4));
    task.put(List.of(items.deleteRecord(4, T1, "src", 2, 3)));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(5));

    assertThat(query("SELECT id FROM items ORDER BY id")).containsExactly(List.of(1L), List.of(4L));
  }

  @Test
  void shouldDeleteRowsEvenWhenMoreRowsFollowTheDeleteInTheSameBatch() throws SQLException {
    // CloudQuery's SQLite destination runs a queued delete when the next insert arrives, before
    // the rows it buffers for the table are written: the sink must not let rows follow a delete.
    TestRecords items = new TestRecords("items", "items");
    TestRecords others = new TestRecords("others", "others");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    List<SinkRecord> batch = new ArrayList<>(rows(items, 0, T1, "src", 1, 2, 3, 4));
    batch.add(items.tombstone(4, 2, T1, "src"));
    batch.addAll(rows(others, 0, T1, "src", 7));
    batch.add(items.deleteRecord(5, T1, "src", 3));
    batch.addAll(rows(items, 6, T1, "src", 5));
    batch.addAll(rows(others, 1, T1, "src", 8));
    task.put(batch);
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(7));

    assertThat(query("SELECT id FROM items ORDER BY id"))
        .containsExactly(List.of(1L), List.of(4L), List.of(5L));
    assertThat(query("SELECT id FROM others ORDER BY id"))
        .containsExactly(List.of(7L), List.of(8L));
  }

  @Test
  void shouldDeleteTheRowWhenATombstoneArrives() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(rows(items, 0, T1, "src", 1, 2, 3));
    task.put(List.of(items.tombstone(3, 2, T1, "src")));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(4));

    assertThat(query("SELECT id FROM items ORDER BY id")).containsExactly(List.of(1L), List.of(3L));
  }

  @Test
  void shouldAddANullableColumnWhenItAppearsBetweenFlushes() throws SQLException {
    TestRecords before = new TestRecords("items", "items");
    TestRecords after = new TestRecords("items", "items", "note");
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(rows(before, 0, T1, "src", 1));
    commit(task, ITEMS);
    task.put(List.of(after.row(1, 2, "two", T2, "src", "added")));
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(2));

    assertThat(columns("items")).contains("note");
    List<Object> nullNote = new ArrayList<>();
    nullNote.add(1L);
    nullNote.add(null);
    assertThat(query("SELECT id, note FROM items ORDER BY id"))
        .containsExactly(nullNote, List.of(2L, "added"));
  }

  @ParameterizedTest
  @EnumSource(TimestampMapping.class)
  void shouldKeepTimestampKeysOneMicrosecondApartAsTwoRowsOnlyWhenTheSourceKeptThemExact(
      TimestampMapping precision) throws SQLException {
    TimestampKeyedRecords stamps = new TimestampKeyedRecords("stamps", precision);
    TopicPartition tp = new TopicPartition("stamps", 0);
    CloudQuerySinkTask task = start("write.mode", "overwrite");
    task.put(List.of(stamps.row(0, 1_700_000_000_123_456L, "first", T1)));
    assertThat(commit(task, tp)).containsEntry(tp, new OffsetAndMetadata(1));
    task.put(List.of(stamps.row(1, 1_700_000_000_123_457L, "second", T1)));
    assertThat(commit(task, tp)).containsEntry(tp, new OffsetAndMetadata(2));

    // milliseconds turns both keys into ...123000 us, so the second write replaces the first.
    assertThat(query("SELECT name FROM stamps ORDER BY ts"))
        .containsExactlyElementsOf(
            precision == TimestampMapping.EXACT
                ? List.of(List.of("first"), List.of("second"))
                : List.of(List.of("second")));
  }

  @Test
  void shouldFailWithTheDestinationMessageWhenAChangeIsUnsafeAndMigrateModeIsSafe()
      throws Exception {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask upsert = start("write.mode", "overwrite");
    upsert.put(rows(items, 0, T1, "src", 1, 2));
    commit(upsert, ITEMS);
    // append drops the primary key: an unsafe change for a table that has one
    CloudQuerySinkTask append =
        start("write.mode", "append", "batch.max.rows", "1", "retry.max", "0");

    append.put(rows(items, 2, T2, "src", 3)); // the stream completes in the background

    assertThat(CloudQuerySinkTaskTest.putUntilFailure(append))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("Can't migrate tables automatically")
        .hasMessageContaining("migrate_mode: forced");
    assertThat(query("SELECT id FROM items ORDER BY id")).containsExactly(List.of(1L), List.of(2L));
  }

  @Test
  void shouldReopenThePluginAndReplayTheRowsWhenItsProcessDiesMidStream() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask task = start("write.mode", "overwrite", "retry.backoff.ms", "10");
    task.put(rows(items, 0, T1, "src", 1, 2, 3)); // sent on an open stream, not yet confirmed
    killPluginProcesses();

    assertThat(commit(task, ITEMS)).isEmpty();
    task.put(List.of()); // Connect calls put again after the backoff
    assertThat(commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(3));

    assertThat(query("SELECT id FROM items ORDER BY id"))
        .containsExactly(List.of(1L), List.of(2L), List.of(3L));
  }

  @Test
  void shouldHaveEveryConfirmedRowInTheDatabaseWhenThePluginIsKilledAfterACommit()
      throws SQLException {
    CloudQuerySinkTask task =
        start("write.mode", "overwrite", "batch.max.rows", "500", "retry.backoff.ms", "10");
    KillAfterCommit kills =
        new KillAfterCommit(task, new TestRecords("items", "items"), ITEMS, this::itemIds);
    // Each round: a kill right after the commit (the last stream was answered just before), then,
    // with rows pending, a kill with 1 row on an open stream, a full stream outstanding, or
    // several.
    int[] pendingPerRound = {0, 1, 120, 600, 1000};
    long committed = 0;
    for (int pending : pendingPerRound) {
      long next = kills.round(1000, pending);
      assertThat(next).isEqualTo(committed + 1000);
      committed = next + pending;
    }

    assertThat(kills.recover()).isEqualTo(5 * 1000 + 1721);
    assertThat(kills.killed()).isEqualTo(9);
    assertThat(kills.failedAttempts())
        .as("each kill surfaced as a failure")
        .isGreaterThanOrEqualTo(9);
    assertThat(query("SELECT count(*) FROM items")).containsExactly(List.of(6721L));
  }

  private List<Long> itemIds() throws SQLException {
    return query("SELECT id FROM items ORDER BY id").stream().map(r -> (Long) r.get(0)).toList();
  }

  /** Kills (SIGKILL) the destination plugin processes this JVM launched. */
  static void killPluginProcesses() {
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().map(c -> c.contains("cq-dest-")).orElse(false))
        .forEach(
            p -> {
              p.destroyForcibly();
              p.onExit().join();
            });
  }

  @Test
  void shouldRecreateTheTableWhenAChangeIsUnsafeAndMigrateModeIsForced() throws SQLException {
    TestRecords items = new TestRecords("items", "items");
    CloudQuerySinkTask upsert = start("write.mode", "overwrite");
    upsert.put(rows(items, 0, T1, "src", 1, 2));
    commit(upsert, ITEMS);
    CloudQuerySinkTask append = start("write.mode", "append", "migrate.mode", "forced");
    append.put(rows(items, 2, T2, "src", 3, 3));
    assertThat(commit(append, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(4));

    assertThat(query("SELECT id FROM items ORDER BY id")).containsExactly(List.of(3L), List.of(3L));
  }
}
