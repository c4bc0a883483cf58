package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Abrupt death of a whole worker (SIGKILL of a separate worker JVM and its plugin) in the middle of
 * incremental syncs, five times: only the unfinished sync is fetched again. Each kill is aimed at a
 * moment the worker shows ({@link Moment}) rather than after a random delay, and where it landed is
 * read back from the topic afterwards; a moment not hit yet is aimed at again by the next kill, and
 * each of the three must have been hit at least once. A class of its own (split from {@link
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConnectHarness harness;

  IncrementalWorkerCrashIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldRefetchOnlyTheUnfinishedSyncWhenTheWorkerIsKilledAbruptly() {
    String name = "worker-crash";
    String cluster = "cq-crash";
    String topic = name + ".incr_events_0";
    // A sync lasts about 1.5 s (the plugin's SDK sends its rows in two inserts of 50, the second at
    // the end) and flushes its cursor every 30 rows; the worker commits offsets every second.
    var config =
        IncrementalFaults.source(
            name,
            "{\"rows_per_sync\":"
                + ROWS_PER_SYNC
                + ",\"batch_rows\":10,\"flush_every_rows\":"
                + FLUSH_EVERY_ROWS
                + ",\"delay_ms_per_batch\":150}",
            300);
    String bootstrap = harness.cluster().kafka().bootstrapServers();
    List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
    List<Boolean> syncRunningAtKill = new ArrayList<>();
    IncrementalWorkerProcess worker = null;
    List<Moment> landed;
    try (Tail tail = new Tail(topic)) {
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
            .until(() -> tail.catchUp() > start);
        if (i == KILLS + 1) {
          break;
        }
        // Rows of the new worker are in the topic, so every kill before this one can be placed.
        Moment aim = nextAim(tail.landed(cycles, syncRunningAtKill));
        long began = System.nanoTime();
        aim(current, tail, aim);
        int plugins = worker.kill();
        assertThat(plugins).as("processes started by worker %d and killed with it", i).isPositive();
        // Nothing more comes from the dead worker: rows at or after this offset are its
        // successors', and its last offset commit is the last one in the offsets topic.
        long boundary = harness.endOffset(topic);
        cycles.add(
            new IncrementalFaults.Cycle(
                i,
                "SIGKILL worker JVM + plugin aimed " + aim,
                (System.nanoTime() - began) / 1_000_000,
                committedAtDeath(cluster + "-offsets", name),
                boundary));
        // The log of the dead worker is complete: was a sync running when it died?
        syncRunningAtKill.add(syncRunning(worker));
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
      long end = harness.endOffset(topic);
      await()
          .alias("every record of " + topic + " read")
          .atMost(Duration.ofSeconds(30))
          .until(() -> tail.catchUp() >= end);
      landed = tail.landed(cycles, syncRunningAtKill);
    } finally {
      if (worker != null && worker.isAlive()) {
        worker.kill();
      }
    }
    IncrementalTopics.History history =
        IncrementalFaults.assertNoGapAfter(harness, topic, 1, "worker SIGKILL", cycles);
    assertThat(history.boundaryDuplicates()).isZero();
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

  /**
   * Waits until the worker is at {@code moment} (a sync that passes it unseen is let go and a later
   * one waited for) and returns right after a last look at the topic's end offset, so that the kill
   * follows within milliseconds.
   */
  private void aim(IncrementalWorkerProcess worker, Tail tail, Moment moment) {
    long[] idleEnd = {-1};
    await()
        .alias("worker at " + moment + " (log " + worker.log() + ")")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              long end = tail.catchUp();
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
                    case BETWEEN_A_FLUSH_AND_THE_SYNCS_END ->
                        tail.rowsOfLastSync() > FLUSH_EVERY_ROWS
                            && tail.rowsOfLastSync() < ROWS_PER_SYNC;
                    // The sync's cursor records went out with its marker; Connect commits them
                    // at its next offset flush, up to a second later.
                    case BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT -> tail.endsWithMarker();
                    case ELSEWHERE -> throw new IllegalArgumentException("not an aim");
                  };
              return at && harness.endOffset(tail.topic) == end;
            });
  }

  /**
   * The cursor of {@code incr_events_0} that Connect had committed when the worker died: the last
   * one in the cluster's offsets topic, which nothing writes to while no worker runs.
   */
  private long committedAtDeath(String offsetsTopic, String connector) {
    long cursor = 0;
    for (ConnectHarness.Message m : harness.readAll(offsetsTopic, Duration.ofSeconds(10))) {
      JsonNode key = m.key();
      if (key != null
          && key.size() == 2
          && connector.equals(key.get(0).asText())
          && "incr_events_0".equals(key.get(1).path("key").asText())
          && m.value() != null) {
        cursor = Long.parseLong(m.value().path("value").asText());
      }
    }
    return cursor;
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

  /**
   * Follows the topic with one consumer and keeps its rows and end-of-sync markers, so that a look
   * at the newest record costs one poll (the moments last about half a second) and where the kills
   * landed is known without reading the topic again.
   */
  private final class Tail implements AutoCloseable {
    private final String topic;
    private final TopicPartition partition;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<IncrementalTopics.Row> rows = new ArrayList<>();
    private final List<Long> markers = new ArrayList<>();
    private boolean lastIsMarker;

    Tail(String topic) {
      this.topic = topic;
      this.partition = new TopicPartition(topic, 0);
      Properties props = new Properties();
      props.put(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.cluster().kafka().bootstrapServers());
      props.put(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumer = new KafkaConsumer<>(props);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
    }

    /** Reads what came since the last call; returns the offset read up to. */
    long catchUp() throws IOException {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
        lastIsMarker = ConnectHarness.headers(r).containsKey("cq.control");
        if (lastIsMarker) {
          markers.add(r.offset());
        } else if (r.value() != null) {
          JsonNode row = JSON.readTree(r.value()).get("payload");
          rows.add(
              new IncrementalTopics.Row(
                  row.get("id").asLong(),
                  row.get("sync_start").asLong(),
                  row.get("cursor").asLong(),
                  r.offset()));
        }
      }
      return consumer.position(partition);
    }

    /** Rows of the sync of the newest record, when that record is a row; 0 otherwise. */
    long rowsOfLastSync() {
      if (lastIsMarker || rows.isEmpty()) {
        return 0;
      }
      IncrementalTopics.Row last = rows.get(rows.size() - 1);
      return last.id() - last.syncStart();
    }

    boolean endsWithMarker() {
      return lastIsMarker;
    }

    /** The cursor of the newest row; 0 when none. */
    long lastRowCursor() {
      return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).cursor();
    }

    /**
     * Where each kill landed: the last row before the kill's offset (the killed worker's last sync
     * attempt), whether an end-of-sync marker followed it, and the cursor the next worker resumed
     * from (the {@code sync_start} of the first row after the kill), which is the cursor Connect
     * had committed when the worker died. Kills with no row read after them yet are left out.
     */
    List<Moment> landed(List<IncrementalFaults.Cycle> cycles, List<Boolean> syncRunningAtKill) {
      List<Moment> landed = new ArrayList<>();
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
        if (after != null) {
          landed.add(landedAt(before, after, boundary, syncRunningAtKill.get(k)));
        }
      }
      return landed;
    }

    private Moment landedAt(
        IncrementalTopics.Row before,
        IncrementalTopics.Row after,
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
      return markers.stream().anyMatch(m -> m > lastRowOffset && m < boundary)
          ? Moment.BETWEEN_THE_SYNCS_END_AND_THE_OFFSET_COMMIT
          : Moment.ELSEWHERE;
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}
