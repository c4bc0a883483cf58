package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.config.TimestampPrecision;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sync's way from its rows to its committed cursors, driven as the task's poll thread drives it,
 * with Kafka's acks and the worker's offset flush played by the test.
 */
class SyncCommitterTest {

  private static final String STATE_TOPIC = "p.cq_state";
  private static final StateRow CURSOR = new StateRow("incr_events_0", "100", 3);

  private final FakeOffsetStore offsets = new FakeOffsetStore("src", "cq_state");
  private final AtomicLong clock = new AtomicLong();
  private final FakeMirror table = new FakeMirror();
  private final CursorState cursors = new CursorState();
  private final SourceMetrics metrics = new SourceMetrics("committer-test", 0);
  private final MirrorWriter mirror =
      new MirrorWriter(() -> table, Duration.ofSeconds(1), metrics, "committer-test-mirror");
  private final RecordBuilder tables =
      new RecordBuilder(
          "src",
          new TopicNamer("p.", Map.of()),
          new RootAllocator(),
          TimestampPrecision.MILLISECONDS);

  @AfterEach
  void close() {
    mirror.close();
    metrics.close();
    tables.close();
  }

  private SyncCommitter committer(FakeTransactions transactions, boolean markers) {
    return new SyncCommitter(
        "src",
        new CommitRecords("src", "cq_state", STATE_TOPIC, 0, markers, Set.of()),
        tables,
        transactions,
        // A clock 10 s further on every check: each poll reads the store (pacing:
        // DurableOffsetsTest).
        new DurableOffsets("src", "cq_state", 0, offsets, () -> clock.addAndGet(10_000_000_000L)),
        cursors,
        mirror,
        metrics);
  }

  @Test
  void shouldWriteCursorsOnlyAfterEveryRowIsAckedAndHandThemOverOnceDurable() throws Exception {
    SyncCommitter committer = committer(null, true);
    tables.migrate(
        Sync.MessageMigrateTable.newBuilder()
            .setTable(ArrowIpc.schemaToBytes(RecordBuilderTest.table("items", null, false, "id")))
            .build());
    CompletableFuture<Void> committed = new CompletableFuture<>();
    SyncRecord first = data(1);
    SyncRecord second = data(1);

    List<SourceRecord> poll1 =
        poll(
            committer,
            new SyncEvent.Started(1, committed),
            new SyncEvent.Records(List.of(first, second)),
            ended(1, Set.of("items"), CURSOR));
    assertThat(poll1).containsExactly(first, second);

    committer.acked(first);
    assertThat(poll(committer)).as("one row not yet in Kafka").isEmpty();

    committer.acked(second);
    List<SourceRecord> commit = poll(committer);
    assertThat(commit).hasSize(3);
    SourceRecord cursor = commit.get(0);
    assertThat(cursor.topic()).isEqualTo(STATE_TOPIC);
    assertThat(cursor.key()).isEqualTo("src/cq_state/incr_events_0");
    assertThat(cursor.sourcePartition())
        .isEqualTo(CursorOffset.partition("src", "cq_state", "incr_events_0"));
    assertThat(cursor.sourceOffset()).isEqualTo(Map.of("value", "100", "version", 3L));
    SourceRecord index = commit.get(1);
    assertThat(index.sourcePartition()).isEqualTo(KeyIndex.partition("src", "cq_state", 0));
    assertThat(KeyIndex.keys(index.sourceOffset())).containsExactly("incr_events_0");
    SourceRecord marker = commit.get(2);
    assertThat(marker.topic()).isEqualTo("p.items");
    assertThat(marker.headers().lastWithName(SyncHeaders.TABLE).value()).isEqualTo("items");
    assertThat(committed).isNotDone();

    commit.forEach(committer::acked);
    assertThat(poll(committer)).isEmpty();
    assertThat(committed).as("Kafka has the cursors, the offset store not yet").isNotDone();
    assertThat(offsets.reads.get()).isEqualTo(1);

    offsets.cursor("incr_events_0", "100", 3);
    offsets.index(0, List.of("incr_events_0"));
    assertThat(poll(committer)).isEmpty();
    assertThat(committed).isCompleted();
    assertThat(cursors.snapshot()).containsExactly(CURSOR);
    assertThat(table.nextWrite()).containsExactly(CURSOR);
    assertThat(committer.outstanding()).isZero();

    assertThat(poll(committer)).isEmpty();
    assertThat(offsets.reads.get()).as("nothing left to check").isEqualTo(2);
  }

  @Test
  void shouldDropTheCursorsOfAnAbortedSyncAndStartTheNextOne() {
    SyncCommitter committer = committer(null, true);
    CompletableFuture<Void> committed = new CompletableFuture<>();
    SyncRecord row = data(1);
    IllegalStateException cause = new IllegalStateException("plugin died");

    List<SourceRecord> batch = new ArrayList<>();
    assertThat(committer.accept(new SyncEvent.Started(1, committed), batch)).isTrue();
    assertThat(committer.accept(new SyncEvent.Records(List.of(row)), batch)).isTrue();
    assertThat(committer.accept(new SyncEvent.Aborted(1, cause), batch)).isTrue();
    committer.commitReady(batch);
    assertThat(batch).containsExactly(row);
    committer.acked(row);

    assertThat(poll(committer)).isEmpty();
    assertThat(committed).isCompletedExceptionally();
    assertThat(committer.outstanding()).isZero();

    CompletableFuture<Void> next = new CompletableFuture<>();
    assertThat(poll(committer, new SyncEvent.Started(2, next), ended(2, Set.of()))).isEmpty();
    assertThat(next).as("the retry had nothing to write").isCompleted();
    assertThat(cursors.size()).isZero();
    assertThat(offsets.reads.get()).isZero();
  }

  @Test
  void shouldCommitTheTransactionAfterTheLastCommitRecordWithoutWaitingForAcks() {
    FakeTransactions transactions = new FakeTransactions();
    SyncCommitter committer = committer(transactions, false);
    CompletableFuture<Void> committed = new CompletableFuture<>();
    SyncRecord row = data(1);

    List<SourceRecord> batch =
        poll(
            committer,
            new SyncEvent.Started(1, committed),
            new SyncEvent.Records(List.of(row)),
            ended(1, Set.of(), CURSOR));

    assertThat(batch).hasSize(3);
    assertThat(batch.get(0)).isSameAs(row);
    assertThat(batch.get(1).sourcePartition())
        .isEqualTo(CursorOffset.partition("src", "cq_state", "incr_events_0"));
    assertThat(batch.get(2).sourcePartition()).isEqualTo(KeyIndex.partition("src", "cq_state", 0));
    assertThat(transactions.committedAfter).containsExactly(batch.get(2));
    assertThat(transactions.abortedAfter).isEmpty();

    // Acks come after the transaction committed, the offsets with it.
    batch.forEach(committer::acked);
    offsets.cursor("incr_events_0", "100", 3);
    offsets.index(0, List.of("incr_events_0"));
    assertThat(poll(committer)).isEmpty();
    assertThat(committed).isCompleted();
  }

  @Test
  void shouldAbortTheTransactionWithAMarkerWhenTheSyncFails() {
    FakeTransactions transactions = new FakeTransactions();
    SyncCommitter committer = committer(transactions, true);
    CompletableFuture<Void> committed = new CompletableFuture<>();
    SyncRecord row = data(4);

    List<SourceRecord> batch = new ArrayList<>();
    committer.accept(new SyncEvent.Started(4, committed), batch);
    committer.accept(new SyncEvent.Records(List.of(row)), batch);
    boolean goOn = committer.accept(new SyncEvent.Aborted(4, new RuntimeException("boom")), batch);

    assertThat(goOn).as("the batch must end with the aborted transaction").isFalse();
    assertThat(batch).hasSize(2);
    SourceRecord marker = batch.get(1);
    assertThat(marker.topic()).isEqualTo(STATE_TOPIC);
    assertThat(marker.key()).isEqualTo("src/cq_state#aborted-0");
    assertThat(marker.value()).isNull();
    assertThat(marker.sourcePartition()).isNull();
    assertThat(transactions.abortedAfter).containsExactly(marker);
    assertThat(transactions.committedAfter).isEmpty();
    assertThat(committed).isCompletedExceptionally();
  }

  @Test
  void shouldCommitASyncWithNoCursorsAndNoTablesAtOnce() {
    SyncCommitter committer = committer(null, true);
    CompletableFuture<Void> committed = new CompletableFuture<>();

    assertThat(poll(committer, new SyncEvent.Started(1, committed), ended(1, Set.of()))).isEmpty();

    assertThat(committed).isCompleted();
    assertThat(offsets.reads.get()).isZero();
    assertThat(cursors.size()).isZero();
  }

  @Test
  void shouldCloseTheTransactionOfASyncWithNothingToWriteWithASyncedMarker() {
    FakeTransactions transactions = new FakeTransactions();
    SyncCommitter committer = committer(transactions, true);
    CompletableFuture<Void> committed = new CompletableFuture<>();

    List<SourceRecord> batch =
        poll(committer, new SyncEvent.Started(2, committed), ended(2, Set.of("never_migrated")));

    assertThat(batch).hasSize(1);
    assertThat(batch.get(0).key()).isEqualTo("src/cq_state#synced-0");
    assertThat(batch.get(0).topic()).isEqualTo(STATE_TOPIC);
    assertThat(transactions.committedAfter).containsExactly(batch.get(0));
    assertThat(committed).as("the marker is not yet acknowledged").isNotDone();

    committer.acked(batch.get(0));
    assertThat(poll(committer)).isEmpty();
    assertThat(committed).isCompleted();
  }

  @Test
  void shouldRethrowTheFailureOfTheSyncThread() {
    SyncCommitter committer = committer(null, true);
    ConnectException failure = new ConnectException("plugin failed 4 times in a row");
    IllegalStateException bug = new IllegalStateException("bug");

    assertThatThrownBy(() -> poll(committer, new SyncEvent.Failed(failure))).isSameAs(failure);
    assertThatThrownBy(() -> poll(committer, new SyncEvent.Failed(bug)))
        .isInstanceOf(ConnectException.class)
        .hasCause(bug);
  }

  @Test
  void shouldRefuseASecondSyncBeforeTheFirstIsCommitted() {
    SyncCommitter committer = committer(null, true);
    poll(committer, new SyncEvent.Started(1, new CompletableFuture<>()));

    assertThatThrownBy(() -> poll(committer, new SyncEvent.Started(2, new CompletableFuture<>())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Sync 2 of source 'src' started before sync 1");
  }

  /** One poll(): the events in order, then whatever became ready. */
  private static List<SourceRecord> poll(SyncCommitter committer, SyncEvent... events) {
    List<SourceRecord> batch = new ArrayList<>();
    for (SyncEvent event : events) {
      if (!committer.accept(event, batch)) {
        break;
      }
    }
    committer.commitReady(batch);
    return batch;
  }

  private static SyncEvent.Ended ended(long generation, Set<String> tables, StateRow... cursors) {
    return new SyncEvent.Ended(
        generation, Instant.parse("2026-01-01T00:00:00Z"), tables, List.of(cursors));
  }

  private static SyncRecord data(long generation) {
    return new SyncRecord(
        generation,
        SyncRecord.Kind.DATA,
        null,
        null,
        "p.items",
        null,
        null,
        null,
        "row",
        null,
        null);
  }
}
