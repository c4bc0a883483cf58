package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code incremental.full.refresh.interval.ms} over our incremental plugin reading an upstream file
 * ({@code upstream_file}, see fixtures/INCREMENTAL.md): a full refresh re-reads the table from
 * scratch, its marker carries delete-stale, so the SQLite sink in {@code overwrite-delete-stale}
 * removes a row deleted upstream, no other row is lost, and the cursor ends where an incremental
 * sync would (the next sync fetches only newer rows). The last refresh is kept in the offsets: a
 * restart within the interval does not refresh again, one after it (offsets edited) does.
 * CloudQuery's {@code test} source has no incremental table, so it is not used here.
 */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalFullRefreshIT {

  private static final String TABLE = "incr_events_0";
  private static final long REFRESH_MS = 8_000;

  private final ConnectHarness harness;

  IncrementalFullRefreshIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private static Path upstream(String name, long high, long... deleted) throws Exception {
    Path file = Files.createTempDirectory("full-refresh-" + name).resolve("upstream.json");
    setUpstream(file, high, deleted);
    return file;
  }

  private static void setUpstream(Path file, long high, long... deleted) throws Exception {
    String ids = LongStream.of(deleted).mapToObj(Long::toString).collect(Collectors.joining(","));
    Path tmp = file.resolveSibling("upstream.tmp");
    Files.writeString(tmp, "{\"high\":" + high + ",\"deleted\":[" + ids + "]}");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Map<String, String> source(
      String name, Path upstream, long syncMs, long refreshMs) {
    Map<String, String> config =
        IncrementalResumeIT.incrementalSource(
            name, "{\"upstream_file\":\"" + upstream + "\",\"batch_rows\":5}");
    config.put("tables", TABLE);
    config.put("sync.interval.ms", Long.toString(syncMs));
    config.put("incremental.full.refresh.interval.ms", Long.toString(refreshMs));
    return config;
  }

  /** The end-of-sync markers of the table's topic: sync time and delete-stale, in order. */
  private record Marker(Instant syncTime, boolean deleteStale) {}

  private List<Marker> markers(String topic) {
    return harness.readAll(topic, Duration.ofSeconds(10)).stream()
        .filter(ConnectHarness.Message::isMarker)
        .map(
            m ->
                new Marker(
                    Instant.parse(m.headers().get("cq.sync.time")),
                    Boolean.parseBoolean(m.headers().get("cq.delete.stale"))))
        .toList();
  }

  /** The committed cursor offset of the table: {value, version}. */
  private Map<String, ?> cursorOffset(String name) {
    return harness.cluster().connectorOffsets(name).offsets().stream()
        .filter(o -> TABLE.equals(o.partition().get("key")))
        .map(ConnectorOffset::offset)
        .findFirst()
        .orElse(Map.of());
  }

  private static long version(Map<String, ?> cursor) {
    return ((Number) cursor.get("version")).longValue();
  }

  private Long fullRefreshMs(String name) {
    ConnectorOffset schedule = SourceRestartScheduleIT.scheduleOffset(harness, name);
    Object refresh = schedule == null ? null : schedule.offset().get("full_refresh_ms");
    return refresh == null ? null : ((Number) refresh).longValue();
  }

  private static Set<Long> destinationIds(SinkDatabases.Connector db) {
    return SinkDatabases.query(db, "SELECT id FROM \"" + TABLE + "\"").stream()
        .map(row -> (Long) row.get(0))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<Long> ids(long high, long... deleted) {
    Set<Long> out = new TreeSet<>();
    LongStream.rangeClosed(1, high).forEach(out::add);
    LongStream.of(deleted).forEach(out::remove);
    return out;
  }

  @Test
  void shouldRemoveRowsGoneUpstreamAndEndAtTheCursorAnIncrementalSyncWould() throws Exception {
    String name = "refresh_stale";
    String topic = name + "." + TABLE;
    Path file = upstream(name, 10);
    // Syncs every second, a full refresh every 8 s: several incremental syncs between refreshes.
    harness.cluster().configureConnector(name, source(name, file, 1_000, REFRESH_MS));
    await()
        .alias(name + ": first sync (a full refresh: none known) committed")
        .atMost(Duration.ofSeconds(90))
        .until(() -> "10".equals(cursorOffset(name).get("value")));
    assertThat(markers(topic).get(0).deleteStale()).as("first sync is a full refresh").isTrue();

    Path db = Files.createTempDirectory("full-refresh-sink").resolve("dest.db");
    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
    harness
        .cluster()
        .configureConnector(
            name + "-sink",
            SinkConnectors.forFixture(
                Fixtures.DEST_SQLITE,
                SinkDatabases.sqliteSpec(db),
                topic,
                "overwrite-delete-stale"));
    await()
        .alias("sink holds ids 1..10")
        .atMost(Duration.ofSeconds(60))
        .until(() -> destinationIds(sqlite).equals(ids(10)));

    // Right after a full refresh (so the next syncs are incremental): five new rows, row 3 deleted.
    long refreshesBefore = markers(topic).stream().filter(Marker::deleteStale).count();
    await()
        .alias("the next full refresh")
        .atMost(Duration.ofSeconds(60))
        .until(() -> markers(topic).stream().filter(Marker::deleteStale).count() > refreshesBefore);
    setUpstream(file, 15, 3);
    Instant changed = Instant.now();
    long versionBefore = version(cursorOffset(name));
    await()
        .alias("an incremental sync fetched the new rows and kept row 3 at the sink")
        .atMost(Duration.ofSeconds(60))
        .until(() -> destinationIds(sqlite).equals(ids(15)));
    await()
        .alias("the full refresh after the change removed row 3 at the sink")
        .atMost(Duration.ofSeconds(60))
        .until(() -> destinationIds(sqlite).equals(ids(15, 3)));

    List<Marker> markers = markers(topic);
    List<Marker> refreshes = markers.stream().filter(Marker::deleteStale).toList();
    assertThat(refreshes).as("full refreshes so far: %s", markers).hasSizeGreaterThanOrEqualTo(2);
    assertThat(markers)
        .as("incremental syncs keep delete-stale off")
        .anyMatch(m -> !m.deleteStale());
    for (int i = 1; i < refreshes.size(); i++) {
      assertThat(Duration.between(refreshes.get(i - 1).syncTime(), refreshes.get(i).syncTime()))
          .as("full refreshes start an interval apart")
          .isGreaterThanOrEqualTo(Duration.ofMillis(REFRESH_MS));
    }
    // The rows of the refresh after the change: every id upstream still has, read from scratch.
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    Set<Long> fromScratch =
        rows.stream()
            .filter(r -> r.syncStart() == 0 && r.id() > 10)
            .map(IncrementalTopics.Row::id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(fromScratch)
        .as("ids 11..15 re-read from scratch")
        .isEqualTo(Set.of(11L, 12L, 13L, 14L, 15L));

    Map<String, ?> cursor = cursorOffset(name);
    assertThat(cursor.get("value")).as("cursor after the refresh").isEqualTo("15");
    assertThat(version(cursor))
        .as("the refresh's cursor outranks the one it replaced")
        .isGreaterThan(versionBefore);

    // Where an incremental sync would have left it: the next rows are fetched from 15 on.
    setUpstream(file, 17, 3);
    await()
        .alias("rows 16 and 17 fetched")
        .atMost(Duration.ofSeconds(60))
        .until(() -> destinationIds(sqlite).equals(ids(17, 3)));
    List<IncrementalTopics.Row> after = new IncrementalTopics(harness).rows(topic);
    assertThat(after.stream().filter(r -> r.id() == 16).map(IncrementalTopics.Row::syncStart))
        .as("row 16: from cursor 15 (an incremental sync) or 0 (a refresh)")
        .isNotEmpty()
        .allMatch(start -> start == 15 || start == 0);
    assertThat(after)
        .as("no incremental sync started below the cursor 15 after the change")
        .filteredOn(r -> r.syncStart() > 0 && r.syncStart() < 15 && r.id() > 15)
        .isEmpty();
    System.out.println(
        "[IncrementalFullRefreshIT] markers since the change at "
            + changed
            + ": "
            + markers(topic).stream().filter(m -> m.syncTime().isAfter(changed)).toList());
  }

  @Test
  void shouldNeitherAddNorSkipARefreshAcrossRestarts() throws Exception {
    String name = "refresh_restart";
    String topic = name + "." + TABLE;
    Path file = upstream(name, 5);
    // One sync per task start, a full refresh every 10 minutes.
    harness.cluster().configureConnector(name, source(name, file, 0, 600_000));
    await()
        .alias(name + ": first sync and its full refresh committed")
        .atMost(Duration.ofSeconds(90))
        .until(() -> fullRefreshMs(name) != null && "5".equals(cursorOffset(name).get("value")));
    long refreshed = fullRefreshMs(name);
    assertThat(markers(topic)).extracting(Marker::deleteStale).containsExactly(true);

    setUpstream(file, 8);
    harness.cluster().restartConnectorAndTasks(name, false, true, false);
    await()
        .alias(name + ": the sync after the restart")
        .atMost(Duration.ofSeconds(90))
        .until(() -> markers(topic).size() == 2 && "8".equals(cursorOffset(name).get("value")));
    assertThat(markers(topic).get(1).deleteStale())
        .as("restarted within the interval: no full refresh")
        .isFalse();
    assertThat(new IncrementalTopics(harness).rows(topic))
        .filteredOn(r -> r.id() > 5)
        .extracting(IncrementalTopics.Row::syncStart)
        .containsOnly(5L);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ((Number)
                            SourceRestartScheduleIT.scheduleOffset(harness, name)
                                .offset()
                                .get("started_ms"))
                        .longValue()
                    > refreshed);
    assertThat(fullRefreshMs(name)).as("the last refresh is carried forward").isEqualTo(refreshed);

    // As if the worker had been down past the interval: the overdue refresh is not skipped.
    harness.stopAndAwait(name);
    ConnectorOffset schedule = SourceRestartScheduleIT.scheduleOffset(harness, name);
    Map<String, Object> older = new HashMap<>(schedule.offset());
    older.put("full_refresh_ms", refreshed - 600_000 - 1_000);
    harness
        .cluster()
        .alterConnectorOffsets(
            name, new ConnectorOffsets(List.of(new ConnectorOffset(schedule.partition(), older))));
    harness.cluster().resumeConnector(name);
    await()
        .alias(name + ": the sync after the resume")
        .atMost(Duration.ofSeconds(90))
        .until(() -> markers(topic).size() == 3);
    assertThat(markers(topic).get(2).deleteStale()).as("overdue: a full refresh").isTrue();
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    assertThat(rows.subList(rows.size() - 8, rows.size()))
        .extracting(IncrementalTopics.Row::id, IncrementalTopics.Row::syncStart)
        .as("the refresh re-read ids 1..8 from scratch")
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, 8)
                .mapToObj(id -> org.assertj.core.groups.Tuple.tuple(id, 0L))
                .toList());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fullRefreshMs(name) != null && fullRefreshMs(name) > refreshed);
    assertThat(cursorOffset(name).get("value")).isEqualTo("8");
    assertThat(SourceRestartScheduleIT.taskMetric(name, "full-refreshes-total")).isEqualTo(1.0);
  }
}
