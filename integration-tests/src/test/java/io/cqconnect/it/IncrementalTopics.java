package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the rows of our incremental fixture plugin back from Kafka and checks them by sequence
 * number: every id from 1 to the highest present, how often each arrived, and which cursor each
 * sync started from.
 *
 * <p>The resume contract checked by {@link #assertResumeContract}: the rows of one table, in topic
 * order, split into <em>runs</em> (one sync attempt each: same {@code sync_start}, consecutive
 * ids). A run starts where the plugin resumes from its {@code sync_start}. Between two runs the
 * start cursor never goes back below the previous run's start (a failed sync is retried from the
 * cursor it started from, never from an older one), and when it moves forward it is at least the
 * cursor of the previous run's last row (only a finished sync commits its cursor). So duplicates
 * come only from the last unfinished sync (and, with cursor ties, from the boundary bucket).
 */
final class IncrementalTopics {

  /** Reads one topic: (topic, readCommitted) to messages in partition/offset order. */
  interface TopicReader {
    List<ConnectHarness.Message> read(String topic, boolean readCommitted);
  }

  private final TopicReader reader;

  IncrementalTopics(ConnectHarness harness) {
    this((topic, committed) -> harness.readAll(topic, Duration.ofSeconds(30), committed));
  }

  IncrementalTopics(TopicReader reader) {
    this.reader = reader;
  }

  /** The committed cursor of {@code incr_events_0} of a connector (0 when none), via REST. */
  static long cursor(ConnectHarness harness, String connector) {
    String value = IncrementalResumeIT.cursors(harness, connector).get("incr_events_0");
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Rows (not markers) of one table's topic. */
  List<Row> rows(String topic) {
    return rows(topic, false);
  }

  List<Row> rows(String topic, boolean readCommitted) {
    List<Row> rows = new ArrayList<>();
    for (ConnectHarness.Message m : reader.read(topic, readCommitted)) {
      JsonNode payload = m.payload();
      if (m.isMarker() || payload == null) {
        continue;
      }
      assertThat(m.partition()).as("incremental topics have one partition").isZero();
      rows.add(
          new Row(
              payload.get("id").asLong(),
              payload.get("sync_start").asLong(),
              payload.get("cursor").asLong(),
              m.offset()));
    }
    return rows;
  }

  /** How often each id arrived, by id. */
  static Map<Long, Integer> counts(List<Row> rows) {
    Map<Long, Integer> counts = new TreeMap<>();
    rows.forEach(r -> counts.merge(r.id(), 1, Integer::sum));
    return counts;
  }

  /** Asserts that ids 1..max all arrived (no gap) and returns max. */
  static long assertNoGap(List<Row> rows) {
    Map<Long, Integer> counts = counts(rows);
    assertThat(counts).isNotEmpty();
    long max = ((TreeMap<Long, Integer>) counts).lastKey();
    List<Long> missing = new ArrayList<>();
    for (long id = 1; id <= max; id++) {
      if (!counts.containsKey(id)) {
        missing.add(id);
      }
    }
    assertThat(missing).as("ids missing below the highest id %d", max).isEmpty();
    return max;
  }

  /** Consecutive rows of one sync attempt, in topic order. */
  static List<Run> runs(List<Row> rows) {
    List<Run> runs = new ArrayList<>();
    Run current = null;
    for (Row row : rows) {
      if (current != null
          && row.syncStart() == current.syncStart()
          && row.id() == current.lastId() + 1) {
        current = new Run(current.syncStart(), current.firstId(), row.id(), current.firstOffset());
        runs.set(runs.size() - 1, current);
      } else {
        current = new Run(row.syncStart(), row.id(), row.id(), row.offset());
        runs.add(current);
      }
    }
    return runs;
  }

  /** ceil(id / tieWidth), as the plugin computes its cursor column. */
  static long cursorOf(long id, int tieWidth) {
    return (id + tieWidth - 1) / tieWidth;
  }

  /** The first id a sync emits when it starts from {@code stored} (the plugin's resume rule). */
  static long firstIdAfter(long stored, int tieWidth) {
    if (stored <= 0) {
      return 1;
    }
    return tieWidth == 1 ? stored + 1 : (stored - 1) * tieWidth + 1;
  }

  /**
   * Asserts no gap and the resume contract (see the class comment) for one table's rows, and
   * returns what happened (retries and duplicates) for the test to print and bound.
   */
  static History assertResumeContract(String table, List<Row> rows, int tieWidth) {
    long maxId = assertNoGap(rows);
    for (Row row : rows) {
      assertThat(row.cursor())
          .as("cursor column of id %d in %s", row.id(), table)
          .isEqualTo(cursorOf(row.id(), tieWidth));
    }
    List<Run> runs = runs(rows);
    int retries = 0;
    long retryDuplicates = 0;
    long maxRetryDuplicates = 0;
    long maxAllowedRetryDuplicates = 0;
    long boundaryDuplicates = 0;
    Run previous = null;
    for (Run run : runs) {
      assertThat(run.firstId())
          .as(
              "%s: the run at offset %d (sync_start %d) starts where the plugin resumes from its cursor",
              table, run.firstOffset(), run.syncStart())
          .isEqualTo(firstIdAfter(run.syncStart(), tieWidth));
      if (previous != null) {
        long duplicates = Math.max(0, previous.lastId() - run.firstId() + 1);
        assertThat(run.syncStart())
            .as(
                "%s: run at offset %d started from cursor %d, below the cursor %d the interrupted sync"
                    + " before it started from (rolled back past the last unfinished sync)",
                table, run.firstOffset(), run.syncStart(), previous.syncStart())
            .isGreaterThanOrEqualTo(previous.syncStart());
        if (run.syncStart() == previous.syncStart()) {
          retries++;
          long allowed = previous.lastId() - previous.firstId() + 1;
          assertThat(duplicates).isLessThanOrEqualTo(allowed);
          retryDuplicates += duplicates;
          maxRetryDuplicates = Math.max(maxRetryDuplicates, duplicates);
          maxAllowedRetryDuplicates = Math.max(maxAllowedRetryDuplicates, allowed);
        } else {
          assertThat(run.syncStart())
              .as(
                  "%s: run at offset %d started from cursor %d, inside the rows of the sync before it"
                      + " (ids %d..%d): a cursor of an unfinished sync was committed",
                  table, run.firstOffset(), run.syncStart(), previous.firstId(), previous.lastId())
              .isGreaterThanOrEqualTo(cursorOf(previous.lastId(), tieWidth));
          boundaryDuplicates += duplicates;
        }
      }
      previous = run;
    }
    return new History(
        table,
        maxId,
        rows.size(),
        runs.size(),
        retries,
        retryDuplicates,
        maxRetryDuplicates,
        maxAllowedRetryDuplicates,
        boundaryDuplicates);
  }

  /**
   * Asserts that every row written at or after Kafka offset {@code fromOffset} comes from a sync
   * that started at or after {@code committed}, the cursor Connect had committed before a failure:
   * nothing below it is fetched again.
   */
  static void assertNothingRefetchedBelow(
      String table, List<Row> rows, long fromOffset, long committed) {
    for (Row row : rows) {
      if (row.offset() >= fromOffset) {
        assertThat(row.syncStart())
            .as(
                "%s: id %d at offset %d was fetched from cursor %d, below the committed cursor %d read"
                    + " before the failure",
                table, row.id(), row.offset(), row.syncStart(), committed)
            .isGreaterThanOrEqualTo(committed);
      }
    }
  }

  /**
   * Describes what a failure injected when the topic ended at {@code offsetAtFailure} did, from the
   * rows: whether the sync it interrupted had delivered rows, and how many the retry sent again.
   */
  static String outcome(List<Row> rows, long offsetAtFailure) {
    List<Run> runs = runs(rows);
    for (int i = 1; i < runs.size(); i++) {
      Run run = runs.get(i);
      if (run.firstOffset() < offsetAtFailure) {
        continue;
      }
      Run before = runs.get(i - 1);
      if (run.syncStart() == before.syncStart()) {
        return String.format(
            "interrupted a sync from cursor %d after ids %d..%d; the retry from cursor %d sent %d of them again",
            before.syncStart(),
            before.firstId(),
            before.lastId(),
            run.syncStart(),
            Math.max(0, before.lastId() - run.firstId() + 1));
      }
      return String.format(
          "no delivered row was lost with the plugin (the next sync started from cursor %d after ids up to %d)",
          run.syncStart(), before.lastId());
    }
    return "no row was written after it";
  }

  /**
   * One row: its sequence number, its cursor, the cursor its sync started from, its Kafka offset.
   */
  record Row(long id, long syncStart, long cursor, long offset) {}

  /** One sync attempt as seen in the topic: ids firstId..lastId, all from sync_start. */
  record Run(long syncStart, long firstId, long lastId, long firstOffset) {}

  /**
   * What a table's topic shows: rows, runs, retried syncs (a run starting from the same cursor as
   * the one before), duplicates they caused (and the most allowed: the rows of the interrupted
   * attempt), and boundary duplicates (cursor ties).
   */
  record History(
      String table,
      long maxId,
      int rows,
      int runs,
      int retries,
      long retryDuplicates,
      long maxRetryDuplicates,
      long maxAllowedRetryDuplicates,
      long boundaryDuplicates) {

    @Override
    public String toString() {
      return String.format(
          "%s: ids 1..%d, %d rows in %d runs, %d retried syncs, %d duplicates from retries (max %d in one"
              + " retry, the interrupted attempts had up to %d rows), %d boundary duplicates, gaps 0",
          table,
          maxId,
          rows,
          runs,
          retries,
          retryDuplicates,
          maxRetryDuplicates,
          maxAllowedRetryDuplicates,
          boundaryDuplicates);
    }
  }
}
