package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import io.cqconnect.state.JdbcMirror;
import io.cqconnect.state.StateRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real task over our incremental Go fixture plugin, polled as a worker polls it, with Kafka's
 * acks and the worker's offset flush played by the test: cursors follow the rows, and the next sync
 * starts from them only once the offset store holds them.
 */
class CloudQuerySourceTaskTest {

  private static final String SOURCE = "src";
  private static final String STATE_TABLE = "cq_state_src";
  private static final String KEY = "incr_events_0";

  @TempDir Path dir;

  private final CloudQuerySourceTask task = new CloudQuerySourceTask();
  private final FakeOffsetStore offsets = new FakeOffsetStore(SOURCE, STATE_TABLE);

  @AfterEach
  void stop() {
    task.stop();
  }

  @Test
  void shouldCommitCursorsAfterTheirRowsAndStartTheNextSyncOnceTheOffsetsAreStored()
      throws Exception {
    String mirrorUrl = "jdbc:sqlite:" + dir.resolve("mirror.db");
    Map<String, String> props =
        Map.of(
            "name", SOURCE,
            "plugin.path", Fixtures.binary(Fixtures.SOURCE_INCREMENTAL).toString(),
            "plugin.args", "--no-sentry",
            "plugin.spec", "{\"rows_per_sync\":10,\"full_rows\":2}",
            "tables", "*",
            "topic.prefix", "t.",
            "sync.interval.ms", "1",
            "state.table.name", STATE_TABLE,
            "state.mirror.jdbc.url", mirrorUrl,
            "task.id", "0");
    task.initialize(new FakeTaskContext(props, offsets, null));
    task.start(props);

    List<SourceRecord> sync1 = pollUntil(seen -> count(seen, SyncRecord.Kind.DATA) >= 12);
    assertThat(sync1).allMatch(r -> kind(r) == SyncRecord.Kind.DATA);
    assertThat(sync1).hasSize(12);
    assertThat(ids(sync1, "t.incr_events_0"))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    sync1.subList(0, 11).forEach(r -> task.commitRecord(r, null));

    assertThat(pollFor(Duration.ofSeconds(2))).as("one row of the sync is not in Kafka").isEmpty();

    task.commitRecord(sync1.get(11), null);
    List<SourceRecord> commit = pollUntil(seen -> seen.size() >= 5);
    assertThat(commit).hasSize(5);
    SourceRecord cursor = commit.get(0);
    assertThat(cursor.sourcePartition())
        .isEqualTo(CursorOffset.partition(SOURCE, STATE_TABLE, KEY));
    assertThat(cursor.sourceOffset().get("value")).isEqualTo("10");
    long version = (Long) cursor.sourceOffset().get("version");
    assertThat(KeyIndex.keys(commit.get(1).sourceOffset())).containsExactly(KEY);
    assertThat(commit.get(2).sourcePartition())
        .as("the sync's start, for a restarted task")
        .isEqualTo(ScheduleOffset.partition(SOURCE, 0));
    assertThat(commit.subList(3, 5))
        .extracting(SourceRecord::topic)
        .containsExactlyInAnyOrder("t.incr_events_0", "t.full_items");
    commit.forEach(r -> task.commitRecord(r, null));

    assertThat(pollFor(Duration.ofSeconds(1)))
        .as("the next sync waits until the worker stored the cursors")
        .isEmpty();

    offsets.cursor(KEY, "10", version);
    offsets.index(0, List.of(KEY));
    List<SourceRecord> sync2 = pollUntil(seen -> count(seen, SyncRecord.Kind.DATA) >= 12);
    assertThat(ids(sync2, "t.incr_events_0"))
        .containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    assertThat(sync2)
        .filteredOn(r -> r.topic().equals("t.incr_events_0"))
        .allMatch(r -> ((Struct) r.value()).getInt64("sync_start") == 10L);
    assertThat(awaitMirrored(mirrorUrl)).containsExactly(new StateRow(KEY, "10", version));
  }

  private List<SourceRecord> pollUntil(Predicate<List<SourceRecord>> done)
      throws InterruptedException {
    List<SourceRecord> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.test(seen)) {
      assertThat(System.nanoTime())
          .as("30 s passed; records so far: %s", seen)
          .isLessThan(deadline);
      List<SourceRecord> batch = task.poll();
      if (batch != null) {
        seen.addAll(batch);
      }
    }
    return seen;
  }

  private List<SourceRecord> pollFor(Duration duration) throws InterruptedException {
    List<SourceRecord> seen = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      List<SourceRecord> batch = task.poll();
      if (batch != null) {
        seen.addAll(batch);
      }
    }
    return seen;
  }

  /** The mirrored state table once the mirror thread wrote it (up to 10 s). */
  private static List<StateRow> awaitMirrored(String url) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (JdbcMirror table = new JdbcMirror(url, null, null, STATE_TABLE)) {
        table.migrate();
        List<StateRow> rows = table.read();
        if (!rows.isEmpty() || System.nanoTime() > deadline) {
          return rows;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static SyncRecord.Kind kind(SourceRecord record) {
    return ((SyncRecord) record).kind();
  }

  private static long count(List<SourceRecord> records, SyncRecord.Kind kind) {
    return records.stream().filter(r -> kind(r) == kind).count();
  }

  private static List<Long> ids(List<SourceRecord> records, String topic) {
    return records.stream()
        .filter(r -> r.topic().equals(topic))
        .map(r -> ((Struct) r.value()).getInt64("id"))
        .sorted()
        .toList();
  }
}
