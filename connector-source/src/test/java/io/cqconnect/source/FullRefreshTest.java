package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.config.TimestampPrecision;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decisions of a periodic full refresh: which syncs are one, that the plugin then reads no
 * cursor while its cursors still win over the committed ones, and that its markers carry
 * delete-stale for incremental tables.
 */
class FullRefreshTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final FullRefresh DAILY = new FullRefresh(Duration.ofDays(1));

  private final RootAllocator allocator = new RootAllocator();
  private final RecordBuilder tables =
      new RecordBuilder(
          "src", new TopicNamer("p.", Map.of()), allocator, TimestampPrecision.MILLISECONDS);

  @AfterEach
  void close() {
    tables.close();
  }

  @Test
  void shouldRefreshWhenNoneIsKnownOrTheIntervalPassedSinceTheLastOne() {
    assertThat(DAILY.due(null, NOW)).as("none known").isTrue();
    assertThat(DAILY.due(NOW.minus(Duration.ofDays(1)), NOW)).as("exactly one interval").isTrue();
    assertThat(DAILY.due(NOW.minus(Duration.ofDays(2)), NOW)).isTrue();
    assertThat(DAILY.due(NOW.minus(Duration.ofHours(23)), NOW)).as("within the interval").isFalse();
    assertThat(DAILY.due(NOW.plus(Duration.ofHours(1)), NOW))
        .as("a last refresh in the future (clock skew) waits")
        .isFalse();
    assertThat(FullRefresh.NEVER.due(null, NOW)).as("0: never").isFalse();
    assertThat(FullRefresh.NEVER.enabled()).isFalse();
    assertThat(DAILY.enabled()).isTrue();
  }

  @Test
  void shouldHandThePluginNoCursorsInAFullRefresh() {
    List<StateRow> committed = List.of(new StateRow("t", "500", 7));
    assertThat(new SyncStateCapture("st", committed, true).read("st")).isEmpty();
    assertThat(new SyncStateCapture("st", committed, false).read("st")).isEqualTo(committed);
  }

  @Test
  void shouldStoreTheVersionedWritesOfAFullRefreshAboveTheCommittedVersion() {
    // The Go state client read nothing, so its first change of "t" is version 1, the next 2.
    SyncStateCapture capture =
        new SyncStateCapture(
            "st", List.of(new StateRow("t", "500", 7), new StateRow("u", "9", 3)), true);
    capture.write("st", List.of(new StateRow("t", "250", 1), new StateRow("new", "4", 1)));
    capture.write("st", List.of(new StateRow("t", "500", 2)));

    List<StateRow> pending = capture.seal();
    assertThat(pending)
        .containsExactlyInAnyOrder(new StateRow("t", "500", 9), new StateRow("new", "4", 1));
    CursorState cursors = new CursorState();
    cursors.merge(List.of(new StateRow("t", "500", 7), new StateRow("u", "9", 3)));
    cursors.merge(pending);
    assertThat(cursors.snapshot())
        .as("the refresh's cursor wins; a key it did not write keeps its committed cursor")
        .containsExactly(
            new StateRow("new", "4", 1), new StateRow("t", "500", 9), new StateRow("u", "9", 3));
  }

  @Test
  void shouldKeepTheShiftedVersionAtTheUnsignedMaximum() {
    StateRow committed = new StateRow("t", "1", -2L); // 2^64-2
    assertThat(SyncStateCapture.fromScratch(new StateRow("t", "2", 5), committed).version())
        .isEqualTo(-1L);
    assertThat(SyncStateCapture.fromScratch(new StateRow("t", "2", 5), null).version())
        .isEqualTo(5);
  }

  @Test
  void shouldMarkIncrementalTablesDeleteStaleOnlyInAFullRefresh() {
    migrate(RecordBuilderTest.table("events", null, true, "id"));
    migrate(RecordBuilderTest.table("event_details", "events", false, "id"));
    migrate(RecordBuilderTest.table("users", null, false, "id"));
    CommitRecords commits = new CommitRecords("src", "st", "p.cq_state", 0, true, Set.of());
    Set<String> synced = new LinkedHashSet<>(List.of("events", "event_details", "users"));

    Map<String, Object> normal =
        deleteStale(commits.forSync(new SyncEvent.Ended(1, NOW, synced, List.of()), tables));
    Map<String, Object> refresh =
        deleteStale(
            commits.forSync(new SyncEvent.Ended(2, NOW, synced, List.of(), true, NOW), tables));

    assertThat(normal)
        .as("as the CLI: no delete-stale under state for incremental tables and their children")
        .isEqualTo(Map.of("p.events", false, "p.event_details", false, "p.users", true));
    assertThat(refresh)
        .isEqualTo(Map.of("p.events", true, "p.event_details", true, "p.users", true));
  }

  private void migrate(org.apache.arrow.vector.types.pojo.Schema schema) {
    tables.migrate(
        Sync.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(schema)).build());
  }

  private static Map<String, Object> deleteStale(List<SyncRecord> records) {
    Map<String, Object> out = new java.util.HashMap<>();
    for (SyncRecord r : records) {
      if (r.kind() == SyncRecord.Kind.MARKER) {
        out.put(r.topic(), r.headers().lastWithName(SyncHeaders.DELETE_STALE).value());
      }
    }
    return out;
  }
}
