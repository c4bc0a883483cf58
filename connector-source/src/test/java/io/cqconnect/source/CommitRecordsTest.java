package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** The state records that commit a sync: one per cursor, and the key index when it changed. */
class CommitRecordsTest {

  private static SyncEvent.Ended ended(long generation, StateRow... cursors) {
    return new SyncEvent.Ended(
        generation, Instant.parse("2026-01-01T00:00:00Z"), Set.of(), List.of(cursors));
  }

  @Test
  void shouldWriteEachCursorAsAStateRecordCarryingItsOffset() {
    CommitRecords commits = new CommitRecords("src", "cq_state", "p.cq_state", 2, false, Set.of());

    List<SyncRecord> records = commits.forSync(ended(7, new StateRow("a", "100", 3)), null);

    assertThat(records).hasSize(2);
    SyncRecord cursor = records.get(0);
    assertThat(cursor.generation()).isEqualTo(7);
    assertThat(cursor.kind()).isEqualTo(SyncRecord.Kind.STATE);
    assertThat(cursor.topic()).isEqualTo("p.cq_state");
    assertThat(cursor.key()).isEqualTo("src/cq_state/a");
    assertThat(cursor.sourcePartition()).isEqualTo(CursorOffset.partition("src", "cq_state", "a"));
    assertThat(CursorOffset.fromMaps(cursor.sourcePartition(), cursor.sourceOffset()))
        .isEqualTo(new CursorOffset("src", "cq_state", "a", "100", 3));
    Struct value = (Struct) cursor.value();
    assertThat(value.schema()).isEqualTo(CommitRecords.CURSOR_SCHEMA);
    assertThat(value.getString("key")).isEqualTo("a");
    assertThat(value.getString("value")).isEqualTo("100");
    assertThat(value.getInt64("version")).isEqualTo(3L);

    SyncRecord index = records.get(1);
    assertThat(index.key()).isEqualTo("src/cq_state#index-2");
    assertThat(index.value()).isEqualTo("a");
    assertThat(index.sourcePartition()).isEqualTo(KeyIndex.partition("src", "cq_state", 2));
    assertThat(KeyIndex.keys(index.sourceOffset())).containsExactly("a");
  }

  @Test
  void shouldRewriteTheIndexOnlyWhenItGrewOrWasNotWrittenSinceTheStart() {
    CommitRecords commits =
        new CommitRecords("src", "cq_state", "p.cq_state", 0, false, Set.of("loaded"));

    List<SyncRecord> first = commits.forSync(ended(1, new StateRow("loaded", "1", 1)), null);
    List<SyncRecord> same = commits.forSync(ended(2, new StateRow("loaded", "2", 2)), null);
    List<SyncRecord> grown = commits.forSync(ended(3, new StateRow("new", "1", 1)), null);

    assertThat(first).hasSize(2);
    assertThat(KeyIndex.keys(first.get(1).sourceOffset())).containsExactly("loaded");
    assertThat(same).as("the index already names the key").hasSize(1);
    assertThat(grown).hasSize(2);
    assertThat(KeyIndex.keys(grown.get(1).sourceOffset())).containsExactly("loaded", "new");
    assertThat(grown.get(1).value()).isEqualTo("loaded,new");
    assertThat(commits.forSync(ended(4), null)).as("no cursors, no markers").isEmpty();
  }

  @Test
  void shouldKeyTransactionMarkersByWhatTheyCloseAndTheTask() {
    CommitRecords commits = new CommitRecords("src", "cq_state", "p.cq_state", 5, true, Set.of());

    SyncRecord marker = commits.transactionMarker(9, "synced");

    assertThat(marker.generation()).isEqualTo(9);
    assertThat(marker.kind()).isEqualTo(SyncRecord.Kind.MARKER);
    assertThat(marker.topic()).isEqualTo("p.cq_state");
    assertThat(marker.key()).isEqualTo("src/cq_state#synced-5");
    assertThat(marker.value()).isNull();
    assertThat(marker.sourcePartition()).isNull();
    assertThat(marker.sourceOffset()).isNull();
  }

  @Test
  void shouldWriteStateValuesAsBytesForAByteArrayConverter() throws Exception {
    CommitRecords commits =
        new CommitRecords("src", "cq_state", "p.cq_state", 2, false, Set.of())
            .withBytesValues()
            .recordingSchedule("tables=*");

    List<SyncRecord> records = commits.forSync(ended(7, new StateRow("a", "100", 3)), null);

    assertThat(records).hasSize(3);
    for (SyncRecord record : records) {
      assertThat(record.valueSchema())
          .isEqualTo(org.apache.kafka.connect.data.Schema.OPTIONAL_BYTES_SCHEMA);
      assertThat(record.value()).isInstanceOf(byte[].class);
    }
    // The cursor as JsonConverter writes it without schemas; offsets unchanged.
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree((byte[]) records.get(0).value()))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    "{\"source\":\"src\",\"state_table\":\"cq_state\",\"key\":\"a\","
                        + "\"value\":\"100\",\"version\":3}"));
    assertThat(
            CursorOffset.fromMaps(records.get(0).sourcePartition(), records.get(0).sourceOffset()))
        .isEqualTo(new CursorOffset("src", "cq_state", "a", "100", 3));
    assertThat(new String((byte[]) records.get(1).value(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("a");
    assertThat(new String((byte[]) records.get(2).value(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("2026-01-01T00:00:00Z");
  }
}
