package io.cqconnect.sink;

import static io.cqconnect.sink.SinkTaskFixture.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.plugin.proto.v3.PredicatesGroup;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task's protocol behaviour against a recording destination on loopback. */
class CloudQuerySinkTaskTest {

  private static final Instant T1 = Instant.parse("2024-05-01T10:00:00.123456Z");
  private static final Instant T2 = Instant.parse("2024-05-02T10:00:00.654321Z");
  private static final TopicPartition TP0 = new TopicPartition("items", 0);

  private final TestRecords items = new TestRecords("items", "items");
  private final TestRecords others = new TestRecords("others", "others");
  private final RootAllocator allocator = new RootAllocator();
  private final SinkTaskFixture tasks = new SinkTaskFixture();
  private final FakeDestination destination = tasks.fakeDestination();
  private CloudQuerySinkTask task;
  private FakeContext context;

  @AfterEach
  void stopAll() {
    tasks.close();
    allocator.close();
  }

  private void start(boolean reporter, String... keyValues) {
    context = new FakeContext(reporter);
    task = tasks.startOnFake("sink-test", context, keyValues);
  }

  @Test
  void shouldCommitOnlyConfirmedOffsetsWhenAFlushFails() {
    start(false);
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src")));
    assertThat(destination.completedStreams()).isEmpty();
    destination.failNextWrites(Status.UNAVAILABLE.withDescription("db restarting"));

    assertThat(commit(task, TP0)).isEmpty();

    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(2));
    assertThat(destination.completedStreams()).hasSize(1);
  }

  @Test
  void shouldSendMigrateOncePerTableThenInsertsWithCliColumnsWhenFlushing() {
    start(false);
    task.put(
        List.of(
            items.row(0, 1, "a", T1, "src"),
            others.row(0, 7, "x", T1, "src"),
            items.row(1, 2, "b", T1, "src")));
    task.put(List.of(items.row(2, 3, "c", T1, "src")));
    commit(task, TP0);

    List<Write.Request> stream = destination.completedStreams().get(0);
    assertThat(stream)
        .extracting(Write.Request::getMessageCase)
        .containsExactly(
            Write.Request.MessageCase.MIGRATE_TABLE,
            Write.Request.MessageCase.INSERT,
            Write.Request.MessageCase.MIGRATE_TABLE,
            Write.Request.MessageCase.INSERT,
            Write.Request.MessageCase.INSERT);
    Schema migrated = ArrowIpc.schemaFromBytes(stream.get(0).getMigrateTable().getTable());
    assertThat(stream.get(0).getMigrateTable().getMigrateForce()).isFalse();
    assertThat(migrated.getCustomMetadata()).containsEntry(CqMetadata.TABLE_NAME, "items");
    assertThat(migrated.getFields())
        .extracting(f -> f.getName())
        .containsExactly("_cq_sync_time", "_cq_source_name", "_cq_id", "id", "name", "amount");
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(stream.get(1).getInsert().getRecord(), allocator)) {
      assertThat(root.getRowCount()).isEqualTo(2);
      assertThat(((BigIntVector) root.getVector("id")).get(1)).isEqualTo(2L);
      assertThat(((TimeStampMicroTZVector) root.getVector("_cq_sync_time")).get(0))
          .isEqualTo(T1.getEpochSecond() * 1_000_000L + 123_456L);
      assertThat(new String(((VarCharVector) root.getVector("_cq_source_name")).get(0)))
          .isEqualTo("src");
    }
  }

  @Test
  void shouldSendMigrateForceWhenMigrateModeIsForced() {
    start(false, "migrate.mode", "forced");
    task.put(List.of(items.row(0, 1, "a", T1, "src")));
    commit(task, TP0);

    assertThat(destination.completedStreams().get(0).get(0).getMigrateTable().getMigrateForce())
        .isTrue();
  }

  @Test
  void shouldSendDeleteStaleOnItsOwnStreamAfterTheDataWhenSyncEndMarkerArrives() {
    start(false, "write.mode", "overwrite-delete-stale");
    task.put(
        List.of(
            items.row(0, 1, "a", T1, "src"),
            items.row(1, 2, "b", T1, "src"),
            items.marker(2, T1, "src", false)));

    List<List<Write.Request>> streams = destination.completedStreams();
    assertThat(streams).hasSize(2);
    assertThat(streams.get(0))
        .extracting(Write.Request::getMessageCase)
        .doesNotContain(Write.Request.MessageCase.DELETE);
    assertThat(streams.get(1)).hasSize(1);
    Write.MessageDeleteStale delete = streams.get(1).get(0).getDelete();
    assertThat(delete.getTableName()).isEqualTo("items");
    assertThat(delete.getSourceName()).isEqualTo("src");
    assertThat(delete.getSyncTime().getSeconds()).isEqualTo(T1.getEpochSecond());
    assertThat(delete.getSyncTime().getNanos()).isEqualTo(123_456_000);
    assertThat(delete.getTable().isEmpty()).isTrue();
    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(3));
  }

  @Test
  void shouldNotDeleteStaleWhenTableIsIncrementalOrModeIsOverwrite() {
    start(false, "write.mode", "overwrite-delete-stale");
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.marker(1, T1, "src", true)));
    commit(task, TP0);
    task.stop();
    start(false, "write.mode", "overwrite");
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.marker(1, T1, "src", false)));
    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(2));

    assertThat(destination.confirmedMessages())
        .extracting(Write.Request::getMessageCase)
        .doesNotContain(Write.Request.MessageCase.DELETE);
  }

  @Test
  void shouldSendDeleteRecordWithKeyPredicatesAfterTheInsertWhenTombstoneArrives() {
    start(false);
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.tombstone(1, 1, T1, "src")));
    commit(task, TP0);

    List<Write.Request> stream = destination.completedStreams().get(0);
    assertThat(stream)
        .extracting(Write.Request::getMessageCase)
        .containsExactly(
            Write.Request.MessageCase.MIGRATE_TABLE,
            Write.Request.MessageCase.INSERT,
            Write.Request.MessageCase.DELETE_RECORD);
    Write.MessageDeleteRecord delete = stream.get(2).getDeleteRecord();
    assertThat(delete.getTableName()).isEqualTo("items");
    assertThat(delete.getWhereClauseList()).hasSize(1);
    PredicatesGroup group = delete.getWhereClause(0);
    assertThat(group.getGroupingType()).isEqualTo(PredicatesGroup.GroupingType.AND);
    assertThat(group.getPredicates(0).getColumn()).isEqualTo("id");
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(group.getPredicates(0).getRecord(), allocator)) {
      assertThat(root.getFieldVectors()).hasSize(1);
      assertThat(((BigIntVector) root.getVector(0)).get(0)).isEqualTo(1L);
    }
  }

  /** Streams complete in the background: their failure surfaces in a later put. */
  static RuntimeException putUntilFailure(CloudQuerySinkTask task) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        task.put(List.of());
      } catch (RuntimeException e) {
        return e;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no write failure surfaced within 10 s");
  }

  @Test
  void shouldOverlapStreamsOnlyOnceAStreamThatMigratedTheTableWasAnswered() {
    start(false, "batch.max.rows", "2");
    destination.holdAnswersForNextStream(Duration.ofSeconds(1));
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src")));
    // The first stream may be creating the table: the second waits for its answer before its own
    // migrate_table (PostgreSQL fails two concurrent CREATE TABLE of one table).
    task.put(List.of(items.row(2, 3, "c", T1, "src"), items.row(3, 4, "d", T1, "src")));
    // The table's schema is settled now: the third stream is sent while the second completes.
    task.put(List.of(items.row(4, 5, "e", T1, "src"), items.row(5, 6, "f", T1, "src")));

    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(6));
    assertThat(destination.events())
        .containsExactly(
            "stream 1 first MIGRATE_TABLE",
            "stream 1 answered",
            "stream 2 first MIGRATE_TABLE",
            "stream 3 first MIGRATE_TABLE",
            "stream 2 answered",
            "stream 3 answered");
    assertThat(destination.completedStreams()).hasSize(3);
  }

  @Test
  void shouldRetryWithBackoffAndReplayTheStreamWhenTheTransportFails() throws Exception {
    start(false, "batch.max.rows", "2");
    List<SinkRecord> batch =
        List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src"));
    destination.failNextWrites(Status.UNAVAILABLE);
    task.put(batch); // a full batch: its stream completes in the background, and fails

    assertThat(putUntilFailure(task)).isInstanceOf(RetriableException.class);
    assertThat(context.timeouts).contains(7L);
    task.put(List.of()); // Connect calls put again after the backoff
    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(2));

    assertThat(destination.failedStreams()).hasSize(1);
    List<Write.Request> confirmed = destination.confirmedMessages();
    assertThat(confirmed)
        .filteredOn(r -> r.getMessageCase() == Write.Request.MessageCase.INSERT)
        .hasSize(1);
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(confirmed.get(1).getInsert().getRecord(), allocator)) {
      assertThat(root.getRowCount()).isEqualTo(2);
    }
  }

  @Test
  void shouldSkipRecordsConnectDeliversAgainAfterARetriableFailure() throws Exception {
    start(false, "batch.max.rows", "1");
    task.put(List.of(items.row(0, 1, "a", T1, "src")));
    commit(task, TP0); // its stream is answered before the failure is scripted
    destination.failNextWrites(Status.UNAVAILABLE);
    task.put(List.of(items.row(1, 2, "b", T1, "src")));
    RuntimeException failure = putUntilFailure(task);

    assertThat(failure).isInstanceOf(RetriableException.class);
    task.put(List.of(items.row(1, 2, "b", T1, "src"))); // the redelivered batch
    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(2));
    assertThat(destination.confirmedMessages())
        .filteredOn(r -> r.getMessageCase() == Write.Request.MessageCase.INSERT)
        .hasSize(2);
  }

  @Test
  void shouldFailTheTaskWhenRetriesAreExhausted() throws Exception {
    start(false, "batch.max.rows", "1", "retry.max", "1");
    destination.failNextWrites(Status.UNAVAILABLE, Status.UNAVAILABLE);
    task.put(List.of(items.row(0, 1, "a", T1, "src")));

    assertThat(putUntilFailure(task)).isInstanceOf(RetriableException.class);
    assertThat(putUntilFailure(task))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("2 times in a row (retry.max=1)");
  }

  @Test
  void shouldFailWithTheDestinationMessageWhenTheWriteIsRejected() throws Exception {
    start(false, "batch.max.rows", "1");
    destination.failNextWrites(
        Status.INTERNAL.withDescription("table items needs an unsafe migration"));
    task.put(List.of(items.row(0, 1, "a", T1, "src")));

    assertThat(putUntilFailure(task))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("table items needs an unsafe migration");
  }

  @Test
  void shouldKeepOneStreamOutstandingAndConfirmOnlyAnsweredStreams() {
    start(false, "batch.max.rows", "2");
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src")));
    task.put(List.of(items.row(2, 3, "c", T1, "src"), items.row(3, 4, "d", T1, "src")));
    task.put(List.of(items.row(4, 5, "e", T1, "src")));

    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(5));
    assertThat(destination.completedStreams()).hasSize(3);
    assertThat(destination.completedStreams())
        .allSatisfy(
            stream ->
                assertThat(stream.get(0).getMessageCase())
                    .isEqualTo(Write.Request.MessageCase.MIGRATE_TABLE));
  }

  @Test
  void shouldReportUnconvertibleRecordsAndWriteTheRestWhenAReporterIsConfigured() {
    start(true);
    SinkRecord badUuid = items.row(1, 2, "b", T1, "src");
    ((org.apache.kafka.connect.data.Struct) badUuid.value()).put(CqMetadata.CQ_ID, "not-a-uuid");
    SinkRecord schemaless = new SinkRecord("items", 0, null, null, null, "plain text", 2);
    task.put(
        List.of(
            items.row(0, 1, "a", T1, "src"), badUuid, schemaless, items.row(3, 4, "d", T1, "src")));

    assertThat(context.reported).containsExactlyInAnyOrder(badUuid, schemaless);
    assertThat(context.reportedErrors.get(context.reported.indexOf(badUuid)))
        .hasMessageContaining("topic 'items' partition 0 offset 1")
        .hasMessageContaining("_cq_id");
    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(4));
    List<Write.Request> stream = destination.completedStreams().get(0);
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(stream.get(1).getInsert().getRecord(), allocator)) {
      BigIntVector ids = (BigIntVector) root.getVector("id");
      List<Long> written = new ArrayList<>();
      for (int i = 0; i < root.getRowCount(); i++) {
        written.add(ids.get(i));
      }
      assertThat(written).containsExactly(1L, 4L);
    }
  }

  @Test
  void shouldFailNamingTopicPartitionOffsetAndColumnWhenNoReporterIsConfigured() {
    start(false);
    SinkRecord bad = items.row(5, 2, "b", T1, "src");
    ((org.apache.kafka.connect.data.Struct) bad.value()).put(CqMetadata.CQ_ID, "not-a-uuid");

    assertThatThrownBy(() -> task.put(List.of(bad)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'items' partition 0 offset 5")
        .hasMessageContaining("_cq_id");
  }

  /**
   * Puts rows 10 and 11 of partition 0 and a row of partition 1, then closes partition 1 while the
   * destination refuses the write (retry.max=0): the queued rows are dropped.
   */
  private void closePartition1WithUnwritableRows() {
    SinkRecord row = items.row(0, 9, "z", T1, "src");
    SinkRecord onP1 =
        new SinkRecord("items", 1, row.keySchema(), row.key(), row.valueSchema(), row.value(), 40);
    task.put(List.of(items.row(10, 1, "a", T1, "src"), items.row(11, 2, "b", T1, "src"), onP1));
    destination.failNextWrites(Status.UNAVAILABLE);
    task.close(List.of(new TopicPartition("items", 1)));
  }

  @Test
  void shouldRewindKeptPartitionsWhenQueuedRowsCannotBeWrittenBeforeClose() {
    start(false, "retry.max", "0");
    closePartition1WithUnwritableRows();

    assertThat(context.rewinds).containsExactly(Map.entry(TP0, 10L));
    task.put(List.of()); // the end of the poll the partition was closed in
    task.put(List.of(items.row(10, 1, "a", T1, "src"))); // the next poll, sought to 10
    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(11));
  }

  @Test
  void shouldCommitConnectsPositionPastRecordsDroppedBeforePutWhenNothingIsPending() {
    start(false);
    SinkTaskFixture.PositionedTask positioned = (SinkTaskFixture.PositionedTask) task;
    TopicPartition allDropped = new TopicPartition("items", 1);
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src")));
    // The worker drops the partition's last records before put (a converter failure sent to the
    // dead letter queue, a Filter SMT) and every record of another partition; put sees nothing.
    positioned.dropped(TP0, 2);
    positioned.dropped(TP0, 3);
    positioned.dropped(allDropped, 0);
    task.put(List.of());

    assertThat(commit(task, TP0, allDropped))
        .containsEntry(TP0, new OffsetAndMetadata(4))
        .containsEntry(allDropped, new OffsetAndMetadata(1));
    assertThat(destination.completedStreams()).hasSize(1);
  }

  @Test
  void shouldNotCommitPastRecordsDroppedBeforePutWhileAWriteIsPending() {
    start(false);
    SinkTaskFixture.PositionedTask positioned = (SinkTaskFixture.PositionedTask) task;
    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src")));
    positioned.dropped(TP0, 2);
    destination.failNextWrites(Status.UNAVAILABLE.withDescription("db restarting"));

    // Rows 0 and 1 still wait for their write: neither they nor the dropped record are committed.
    assertThat(commit(task, TP0)).isEmpty();

    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(3));
  }

  @Test
  void shouldNotCommitConnectsPositionWhileARewindIsOutstanding() {
    start(false, "retry.max", "0");
    SinkTaskFixture.PositionedTask positioned = (SinkTaskFixture.PositionedTask) task;
    // Connect closes partition 1 inside its consumer poll; the queued rows cannot be written, so
    // the task asks Connect to rewind the partition it keeps to the first dropped row.
    closePartition1WithUnwritableRows();
    positioned.dropped(TP0, 12);
    assertThat(context.rewinds).containsExactly(Map.entry(TP0, 10L));
    Map<TopicPartition, OffsetAndMetadata> stale = Map.of(TP0, new OffsetAndMetadata(13));

    // Connect still stands at 13 until its next poll seeks: nothing past the rewind target may be
    // committed, also after the put that ends the poll the partition was closed in.
    assertThat(task.preCommit(stale)).containsEntry(TP0, new OffsetAndMetadata(10));
    task.put(List.of());
    assertThat(task.preCommit(stale)).containsEntry(TP0, new OffsetAndMetadata(10));

    // The next poll has sought to 10 and redelivers the rows; the dropped record comes after.
    task.put(List.of(items.row(10, 1, "a", T1, "src"), items.row(11, 2, "b", T1, "src")));
    assertThat(task.preCommit(Map.of(TP0, new OffsetAndMetadata(12))))
        .containsEntry(TP0, new OffsetAndMetadata(12));
    assertThat(task.preCommit(Map.of(TP0, new OffsetAndMetadata(13))))
        .containsEntry(TP0, new OffsetAndMetadata(13));
  }

  @Test
  void shouldSkipRecordsFetchedBeforeTheRewindAndWriteEveryRedeliveredRow() {
    start(false, "retry.max", "0");
    // Rows 10 and 11 are dropped when partition 1 closes (a cooperative rebalance keeps partition
    // 0); the task asks Connect to rewind partition 0 to 10.
    closePartition1WithUnwritableRows();
    assertThat(context.rewinds).containsExactly(Map.entry(TP0, 10L));

    // The poll the partition was closed in still hands put what the consumer fetched before the
    // seek: row 12, past the dropped rows. Taken, it would make the redelivered 10 and 11 look
    // seen, and they would never be written.
    task.put(List.of(items.row(12, 3, "c", T1, "src")));
    // The next poll has sought to 10: 10, 11 and 12 again.
    task.put(
        List.of(
            items.row(10, 1, "a", T1, "src"),
            items.row(11, 2, "b", T1, "src"),
            items.row(12, 3, "c", T1, "src")));

    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(13));
    assertThat(rowsOfTheOneConfirmedInsert()).isEqualTo(3);
  }

  @Test
  void shouldTakeTheRecordsOfAPollThatAlsoAssignedPartitionsSinceConnectSoughtInIt() {
    start(false, "retry.max", "0");
    closePartition1WithUnwritableRows();
    assertThat(context.rewinds).containsExactly(Map.entry(TP0, 10L));

    // The same poll assigns partition 2: the worker opens it and seeks to every rewind asked so
    // far before the consumer returns records, so this put already starts at 10.
    task.open(List.of(new TopicPartition("items", 2)));
    task.put(List.of(items.row(10, 1, "a", T1, "src"), items.row(11, 2, "b", T1, "src")));

    assertThat(commit(task, TP0)).containsEntry(TP0, new OffsetAndMetadata(12));
    assertThat(rowsOfTheOneConfirmedInsert()).isEqualTo(2);
  }

  /** The row count of the only insert the destination confirmed (asserted to be the only one). */
  private int rowsOfTheOneConfirmedInsert() {
    List<Write.Request> inserts =
        destination.confirmedMessages().stream()
            .filter(r -> r.getMessageCase() == Write.Request.MessageCase.INSERT)
            .toList();
    assertThat(inserts).hasSize(1);
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(inserts.get(0).getInsert().getRecord(), allocator)) {
      return root.getRowCount();
    }
  }

  @Test
  void shouldUseSourceNameFallbackWhenTheHeaderIsMissing() {
    start(false, "source.name", "fallback");
    task.put(List.of(items.row(0, 1, "a", T1, null)));
    commit(task, TP0);

    List<Write.Request> stream = destination.completedStreams().get(0);
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(stream.get(1).getInsert().getRecord(), allocator)) {
      assertThat(new String(((VarCharVector) root.getVector("_cq_source_name")).get(0)))
          .isEqualTo("fallback");
    }
  }

  @Test
  void shouldFlushByTimeoutAndAskConnectToCallPutInTime() {
    start(false, "batch.timeout.ms", "1000");
    task.put(List.of(items.row(0, 1, "a", T2, "src")));
    assertThat(destination.completedStreams()).isEmpty();
    assertThat(context.timeouts).isNotEmpty().allMatch(t -> t >= 1 && t <= 1000);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (destination.completedStreams().isEmpty() && System.nanoTime() < deadline) {
      task.put(List.of());
    }
    assertThat(destination.completedStreams()).hasSize(1);
  }

  @Test
  void shouldSendPluginCloseOnceWhenStoppedTwice() {
    start(false);
    task.stop();
    task.stop();

    assertThat(destination.inits.get()).isEqualTo(1);
    assertThat(destination.closes.get()).isEqualTo(1);
  }
}
