package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Abrupt death of a whole worker (SIGKILL of a separate worker JVM and its plugin) in the middle of
 * incremental syncs, five times: only the unfinished sync is fetched again. Each kill is aimed at a
 * moment the worker shows ({@link Moment}), and where it landed is read back from the topic
 * afterwards: every moment must have been hit at least once. A class of its own (split from {@link
 * IncrementalFailureIT}) so that its six worker starts run beside the plugin failures in another
 * failsafe fork.
 */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalWorkerCrashIT {

  private static final int KILLS = 5;
  private static final int ROWS_PER_SYNC = 100;
  private static final int FLUSH_EVERY_ROWS = 30;
  private static final Pattern SYNC_LOG =
      Pattern.compile("Sync \\d+ of source 'worker-crash' (started|ended)");

  /** Where in a sync a kill lands. */
  enum Moment {
    /** A sync has started, no row of it is in Kafka yet (nothing of it to fetch again). */
    MID_SYNC_BEFORE_ITS_ROWS,
    /**
     * Rows of an unfinished sync are in Kafka and the plugin has flushed its cursor for them to the
     * task (the flush every 30 rows comes before the rows after it), which must not commit it.
     */
    BETWEEN_A_FLUSH_AND_THE_SYNCS_END,
    /**
     * The sync ended (all its rows and its end-of-sync marker are in Kafka), its cursor is not yet
     * in Connect's committed offsets: the whole sync is fetched again.
     */
    BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT,
    /** Somewhere else (a missed aim: for example the offsets were committed just before it). */
    ELSEWHERE
  }

  private final ConnectHarness harness;
  private final Tail tail = new Tail();

  IncrementalWorkerCrashIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldRefetchOnlyTheUnfinishedSyncWhenTheWorkerIsKilledAbruptly() {
    String name = "worker-crash";
    String cluster = "cq-crash";
    String topic = name + ".incr_events_0";
    // A sync lasts about 1 s (the plugin's SDK sends its rows in two inserts of 50) and flushes its
    // cursor every 30 rows; the worker commits offsets every second.
    var config =
        IncrementalFaults.source(
            name,
            "{\"rows_per_sync\":"
                + ROWS_PER_SYNC
                + ",\"batch_rows\":10,\"flush_every_rows\":"
                + FLUSH_EVERY_ROWS
                + ",\"delay_ms_per_batch\":100}",
            300);
    String bootstrap = harness.cluster().kafka().bootstrapServers();
    List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
    List<Boolean> syncRunningAtKill = new ArrayList<>();
    IncrementalWorkerProcess worker = null;
    try {
      for (int i = 1; i <= KILLS + 1; i++) {
        worker = IncrementalWorkerProcess.start(bootstrap, cluster, i);
        IncrementalWorkerProcess current = worker;
        await()
            .alias("worker " + i + " answers REST (log " + current.log() + ")")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> current.isAlive() && current.answers());
        if (i == 1) {
          worker.putConnector(name, config);
        }
        long start = harness.endOffset(topic);
        await()
            .alias("rows flow again on worker " + i + " (log " + current.log() + ")")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> harness.endOffset(topic) > start);
        if (i == KILLS + 1) {
          break;
        }
        // Rows of the new worker are in the topic, so every kill before this one can be placed.
        Moment aim = nextAim(landed(cycles, syncRunningAtKill, topic));
        long began = System.nanoTime();
        Aimed aimed = aim(current, name, topic, aim);
        int plugins = worker.kill();
        assertThat(plugins).as("processes started by worker %d and killed with it", i).isPositive();
        // Nothing more comes from the dead worker: rows at or after this offset are its
        // successors'.
        long boundary = harness.endOffset(topic);
        cycles.add(
            new IncrementalFaults.Cycle(
                i,
                "SIGKILL worker JVM + plugin aimed " + aim,
                (System.nanoTime() - began) / 1_000_000,
                aimed.committed(),
                boundary));
        syncRunningAtKill.add(aimed.syncRunning());
      }
      long last =
          cycles.stream().mapToLong(IncrementalFaults.Cycle::committedBefore).max().orElse(0);
      IncrementalWorkerProcess survivor = worker;
      await()
          .alias("the last worker commits two more syncs")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                String v = survivor.cursors(name).get("incr_events_0");
                return v != null && Long.parseLong(v) >= last + 300;
              });
      worker.stop();
    } finally {
      if (worker != null && worker.isAlive()) {
        worker.kill();
      }
    }
    IncrementalTopics.History history =
        IncrementalFaults.assertNoGapAfter(harness, topic, 1, "worker SIGKILL", cycles);
    assertThat(history.boundaryDuplicates()).isZero();
    List<Moment> landed = landed(cycles, syncRunningAtKill, topic);
    System.out.println("[incremental failures] worker SIGKILLs landed " + landed);
    assertThat(landed)
        .as("where the kills landed, read back from the topic")
        .contains(
            Moment.MID_SYNC_BEFORE_ITS_ROWS,
            Moment.BETWEEN_A_FLUSH_AND_THE_SYNCS_END,
            Moment.BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT);
  }

  /** The first of the aimed moments hit least often so far. */
  private static Moment nextAim(List<Moment> landed) {
    List<Moment> aims =
        List.of(
            Moment.BETWEEN_A_FLUSH_AND_THE_SYNCS_END,
            Moment.BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT,
            Moment.MID_SYNC_BEFORE_ITS_ROWS);
    Moment aim = aims.get(0);
    for (Moment m : aims) {
      if (Collections.frequency(landed, m) < Collections.frequency(landed, aim)) {
        aim = m;
      }
    }
    return aim;
  }

  /** The committed cursor read just before a kill, and whether a sync was running then. */
  private record Aimed(long committed, boolean syncRunning) {}

  /**
   * Waits until the worker is at {@code moment} (a sync that passes it unseen is let go and a later
   * one waited for), reads the committed cursor and returns right after a last look at the topic's
   * end offset, so that the kill follows it within milliseconds.
   */
  private Aimed aim(IncrementalWorkerProcess worker, String name, String topic, Moment moment) {
    Aimed[] aimed = new Aimed[1];
    long[] idleEnd = {-1};
    await()
        .alias("worker at " + moment + " (log " + worker.log() + ")")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              long end = harness.endOffset(topic);
              boolean at =
                  switch (moment) {
                    case MID_SYNC_BEFORE_ITS_ROWS -> {
                      // The end offset while no sync runs; a sync that started since and has
                      // written nothing yet is the moment.
                      if (!syncRunning(worker)) {
                        idleEnd[0] = end;
                        yield false;
                      }
                      yield end == idleEnd[0];
                    }
                    case BETWEEN_A_FLUSH_AND_THE_SYNCS_END -> {
                      ConnectHarness.Message last = tail.last(topic, end);
                      yield last != null
                          && !last.isMarker()
                          && rowsOfItsSync(last) > FLUSH_EVERY_ROWS
                          && rowsOfItsSync(last) < ROWS_PER_SYNC;
                    }
                    case BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT -> {
                      ConnectHarness.Message last = tail.last(topic, end);
                      yield last != null
                          && last.isMarker()
                          && committed(worker, name) < tail.lastRowCursor(topic, end);
                    }
                    case ELSEWHERE -> throw new IllegalArgumentException("not an aim");
                  };
              if (!at) {
                return false;
              }
              long committed = committed(worker, name);
              boolean running = syncRunning(worker);
              if (harness.endOffset(topic) != end
                  || (moment == Moment.BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT
                      && committed >= tail.lastRowCursor(topic, end))) {
                return false;
              }
              aimed[0] = new Aimed(committed, running);
              return true;
            });
    return aimed[0];
  }

  private static long committed(IncrementalWorkerProcess worker, String name) {
    String value = worker.cursors(name).get("incr_events_0");
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Whether the worker's log shows a sync started and not ended. */
  private static boolean syncRunning(IncrementalWorkerProcess worker) {
    try {
      String lastSeen = null;
      Matcher m = SYNC_LOG.matcher(Files.readString(worker.log()));
      while (m.find()) {
        lastSeen = m.group(1);
      }
      return "started".equals(lastSeen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long rowsOfItsSync(ConnectHarness.Message row) {
    return row.payload().get("id").asLong() - row.payload().get("sync_start").asLong();
  }

  /** The topic's records below an end offset, read again only when the end offset moved. */
  private final class Tail {
    private long end = -1;
    private List<ConnectHarness.Message> below = List.of();

    private List<ConnectHarness.Message> below(String topic, long end) {
      if (end != this.end) {
        below =
            harness.readAll(topic, Duration.ofSeconds(10)).stream()
                .filter(m -> m.offset() < end)
                .toList();
        this.end = end;
      }
      return below;
    }

    /** The last record below {@code end}; null when there is none. */
    ConnectHarness.Message last(String topic, long end) {
      List<ConnectHarness.Message> all = below(topic, end);
      return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The cursor of the last row below {@code end} (tie width 1: its id); 0 when none. */
    long lastRowCursor(String topic, long end) {
      List<ConnectHarness.Message> all = below(topic, end);
      for (int i = all.size() - 1; i >= 0; i--) {
        if (!all.get(i).isMarker() && all.get(i).payload() != null) {
          return all.get(i).payload().get("cursor").asLong();
        }
      }
      return 0;
    }
  }

  /**
   * Where each kill landed, read from the topic: the last sync attempt of the killed worker (its
   * rows before the kill's offset), whether its end-of-sync marker followed, and the cursor the
   * next worker resumed from (the {@code sync_start} of the first row after the kill), which is the
   * cursor Connect had committed when the worker died. Kills with no row after them yet are left
   * out.
   */
  private List<Moment> landed(
      List<IncrementalFaults.Cycle> cycles, List<Boolean> syncRunningAtKill, String topic) {
    List<Moment> landed = new ArrayList<>();
    if (cycles.isEmpty()) {
      return landed;
    }
    List<ConnectHarness.Message> messages = harness.readAll(topic, Duration.ofSeconds(30));
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    for (int k = 0; k < cycles.size(); k++) {
      long boundary = cycles.get(k).offsetAtFailure();
      IncrementalTopics.Row before = null;
      IncrementalTopics.Row after = null;
      for (IncrementalTopics.Row row : rows) {
        if (row.offset() < boundary) {
          before = row;
        } else if (after == null) {
          after = row;
        }
      }
      if (after == null) {
        continue;
      }
      landed.add(landedAt(before, after, messages, boundary, syncRunningAtKill.get(k)));
    }
    return landed;
  }

  private static Moment landedAt(
      IncrementalTopics.Row before,
      IncrementalTopics.Row after,
      List<ConnectHarness.Message> messages,
      long boundary,
      boolean syncRunning) {
    long lastCursor = before == null ? 0 : before.cursor();
    if (after.syncStart() == lastCursor) {
      // Nothing fetched again: the cursor of every row before the kill was committed.
      return syncRunning ? Moment.MID_SYNC_BEFORE_ITS_ROWS : Moment.ELSEWHERE;
    }
    if (before == null || after.syncStart() != before.syncStart()) {
      return Moment.ELSEWHERE;
    }
    long delivered = before.id() - before.syncStart();
    if (delivered < ROWS_PER_SYNC) {
      return delivered > FLUSH_EVERY_ROWS
          ? Moment.BETWEEN_A_FLUSH_AND_THE_SYNCS_END
          : Moment.ELSEWHERE;
    }
    long lastRowOffset = before.offset();
    boolean marker =
        messages.stream()
            .anyMatch(m -> m.isMarker() && m.offset() > lastRowOffset && m.offset() < boundary);
    return marker ? Moment.BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT : Moment.ELSEWHERE;
  }
}
