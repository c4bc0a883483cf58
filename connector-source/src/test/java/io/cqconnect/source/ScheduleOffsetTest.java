package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.state.StateRow;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/** The last committed sync's start: written with the sync's commit records, read on start. */
class ScheduleOffsetTest {

  private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SCOPE = "tables=*;skip=";

  private static SyncEvent.Ended ended(StateRow... cursors) {
    return new SyncEvent.Ended(3, STARTED, Set.of(), List.of(cursors));
  }

  @Test
  void shouldWriteTheSyncStartWithTheCommitRecordsWhenRecordingTheSchedule() {
    CommitRecords commits =
        new CommitRecords("src", "", "p.cq_state", 2, false, Set.of()).recordingSchedule(SCOPE);

    List<SyncRecord> records = commits.forSync(ended(), null);

    assertThat(records).hasSize(1);
    SyncRecord start = records.get(0);
    assertThat(start.generation()).isEqualTo(3);
    assertThat(start.kind()).isEqualTo(SyncRecord.Kind.STATE);
    assertThat(start.topic()).isEqualTo("p.cq_state");
    assertThat(start.key()).isEqualTo("src#schedule-2");
    assertThat(start.sourcePartition()).isEqualTo(Map.of("v", 1, "source", "src", "schedule", 2));
    assertThat(start.sourceOffset())
        .isEqualTo(Map.of("started_ms", STARTED.toEpochMilli(), "scope", SCOPE));
  }

  @Test
  void shouldWriteNoSyncStartWhenNotRecordingTheSchedule() {
    CommitRecords commits = new CommitRecords("src", "st", "p.cq_state", 0, false, Set.of());
    assertThat(commits.forSync(ended(new StateRow("k", "1", 1)), null))
        .noneMatch(r -> ScheduleOffset.isSchedulePartition(r.sourcePartition()));
  }

  @Test
  void shouldReadBackTheStartOfTheSameTaskAndScope() {
    FakeOffsetStore store = new FakeOffsetStore("src", "");
    store.written.put(ScheduleOffset.partition("src", 1), ScheduleOffset.offset(STARTED, SCOPE));

    assertThat(ScheduleOffset.lastStart(store, "src", 1, SCOPE)).isEqualTo(STARTED);
    assertThat(ScheduleOffset.lastStart(store, "src", 0, SCOPE)).as("another task").isNull();
    assertThat(ScheduleOffset.lastStart(store, "src", 1, "tables=a;skip="))
        .as("the task now syncs other tables")
        .isNull();
  }

  @Test
  void shouldSyncAtOnceWhenTheStoredStartIsMalformedOrUnreadable() {
    FakeOffsetStore store = new FakeOffsetStore("src", "");
    store.written.put(ScheduleOffset.partition("src", 0), new HashMap<>(Map.of("started_ms", "x")));
    assertThat(ScheduleOffset.lastStart(store, "src", 0, SCOPE)).isNull();

    OffsetStorageReader broken =
        new OffsetStorageReader() {
          @Override
          public <T> Map<String, Object> offset(Map<String, T> partition) {
            throw new IllegalStateException("offsets topic unavailable");
          }

          @Override
          public <T> Map<Map<String, T>, Map<String, Object>> offsets(
              Collection<Map<String, T>> partitions) {
            throw new IllegalStateException("offsets topic unavailable");
          }
        };
    assertThat(ScheduleOffset.lastStart(broken, "src", 0, SCOPE)).isNull();
  }

  @Test
  void shouldRejectAPatchedStartThatIsNotEpochMillisNamingTheField() {
    assertThatThrownBy(() -> ScheduleOffset.startedOf(Map.of("started_ms", "yesterday")))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("started_ms");
    assertThatThrownBy(() -> ScheduleOffset.startedOf(Map.of("started_ms", 5L)))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("scope");
  }

  @Test
  void shouldRecordTheLastFullRefreshWithTheSyncStartAndReadItBack() {
    Instant refreshed = STARTED.minusSeconds(3600);
    CommitRecords commits =
        new CommitRecords("src", "st", "p.cq_state", 0, false, Set.of()).recordingSchedule(SCOPE);
    List<SyncRecord> records =
        commits.forSync(
            new SyncEvent.Ended(3, STARTED, Set.of(), List.of(), false, refreshed), null);

    SyncRecord start = records.get(0);
    assertThat(start.sourceOffset())
        .isEqualTo(
            Map.of(
                "started_ms",
                STARTED.toEpochMilli(),
                "scope",
                SCOPE,
                "full_refresh_ms",
                refreshed.toEpochMilli()));
    FakeOffsetStore store = new FakeOffsetStore("src", "");
    store.written.put(
        ScheduleOffset.partition("src", 0), new HashMap<String, Object>(start.sourceOffset()));
    assertThat(ScheduleOffset.last(store, "src", 0, SCOPE))
        .isEqualTo(new ScheduleOffset.Last(STARTED, refreshed));
    assertThat(ScheduleOffset.last(store, "src", 0, "tables=a;skip="))
        .as("a task that syncs other tables knows no refresh of them")
        .isEqualTo(ScheduleOffset.Last.NONE);
  }

  @Test
  void shouldReadAnOffsetWithoutTheFullRefreshFieldAsNoRefreshKnown() {
    // The form written before full refreshes existed, and while none is planned.
    FakeOffsetStore store = new FakeOffsetStore("src", "");
    store.written.put(
        ScheduleOffset.partition("src", 0),
        new HashMap<>(Map.of("started_ms", STARTED.toEpochMilli(), "scope", SCOPE)));
    assertThat(ScheduleOffset.last(store, "src", 0, SCOPE))
        .isEqualTo(new ScheduleOffset.Last(STARTED, null));
    assertThat(ScheduleOffset.offset(STARTED, SCOPE, null)).doesNotContainKey("full_refresh_ms");
  }

  @Test
  void shouldRejectAPatchedFullRefreshThatIsNotEpochMillisNamingTheField() {
    Map<String, Object> offset = new HashMap<>(ScheduleOffset.offset(STARTED, SCOPE));
    offset.put("full_refresh_ms", "last week");
    assertThatThrownBy(() -> ScheduleOffset.startedOf(offset))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("full_refresh_ms");
    offset.put("full_refresh_ms", -5L);
    assertThatThrownBy(() -> ScheduleOffset.startedOf(offset))
        .hasMessageContaining("full_refresh_ms");
    offset.put("full_refresh_ms", STARTED.toEpochMilli());
    assertThat(ScheduleOffset.startedOf(offset)).isEqualTo(STARTED);
  }
}
