package io.cqconnect.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shows a running source connector's syncs as they commit, from what a user can see from outside:
 * the table topics (rows, split into syncs by the connector's end-of-sync markers), the state topic
 * (one record per committed cursor), the connector's offsets (Connect REST, KIP-875), the mirrored
 * state table (JDBC) and the task's JMX counters.
 *
 * <p>The connector commits a sync (its cursor records and markers) only after Kafka has
 * acknowledged every row of it, so a sync reported here is complete. The i-th cursor record of the
 * state key belongs to the i-th sync, which holds for the demo plugin: its cursor moves every sync.
 */
final class SyncWatcher {

  /** What to watch. {@code syncs} 0 means until interrupted. */
  record Options(
      ConnectRest rest,
      String connector,
      String bootstrap,
      List<String> topics,
      String idTopic,
      String stateTopic,
      String stateKey,
      String stateJdbcUrl,
      String stateTable,
      JmxProbe jmx,
      int syncs,
      Duration syncTimeout) {}

  /** A cursor: value and version. */
  record Cursor(String value, long version) {}

  private final Options o;
  private final PrintStream out;
  private final Set<Long> seenIds = new HashSet<>();

  SyncWatcher(Options options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  /** Watches until {@code syncs} syncs were seen; false when one did not come in time. */
  boolean run() throws Exception {
    int reported = 0;
    long lastProgress = System.nanoTime();
    List<String> all = new ArrayList<>(o.topics());
    all.add(o.stateTopic());
    try (TopicTail tail = new TopicTail(o.bootstrap(), all)) {
      while (o.syncs() == 0 || reported < o.syncs()) {
        tail.drain(Duration.ofSeconds(10));
        int complete = Integer.MAX_VALUE;
        for (String topic : o.topics()) {
          complete = Math.min(complete, tail.syncs(topic).size());
        }
        List<Cursor> cursors = cursors(tail.objects(o.stateTopic()), o.stateKey());
        // A sync is reported once its markers and its cursor record are both read.
        complete = Math.min(complete, cursors.size());
        if (complete > reported) {
          for (int sync = reported + 1; sync <= complete; sync++) {
            report(sync, tail, cursors.get(sync - 1), sync == complete);
          }
          reported = complete;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > o.syncTimeout().toNanos()) {
          out.printf(
              "[quickstart] no sync committed within %d s (syncs seen: %d); see the worker log%n",
              o.syncTimeout().toSeconds(), reported);
          return false;
        } else {
          Thread.sleep(500);
        }
      }
    }
    return true;
  }

  /** The state key's cursors in the order the connector committed them. */
  static List<Cursor> cursors(List<JsonNode> stateRecords, String stateKey) {
    List<Cursor> cursors = new ArrayList<>();
    for (JsonNode r : stateRecords) {
      if (stateKey.equals(r.path("key").asText(null)) && r.hasNonNull("value")) {
        cursors.add(new Cursor(r.get("value").asText(), r.path("version").asLong()));
      }
    }
    return cursors;
  }

  /** Finds the state key's offset in a GET /connectors/NAME/offsets answer; null if absent. */
  static Cursor cursorIn(JsonNode offsets, String stateKey) {
    for (JsonNode entry : offsets.path("offsets")) {
      JsonNode partition = entry.path("partition");
      JsonNode offset = entry.path("offset");
      if (stateKey.equals(partition.path("key").asText(null)) && offset.hasNonNull("value")) {
        return new Cursor(offset.get("value").asText(), offset.path("version").asLong());
      }
    }
    return null;
  }

  private void report(int sync, TopicTail tail, Cursor cursor, boolean latest) throws Exception {
    StringBuilder line = new StringBuilder("[quickstart] sync " + sync + ":");
    for (String topic : o.topics()) {
      List<JsonNode> rows = tail.syncs(topic).get(sync - 1);
      line.append(' ')
          .append(
              topic.equals(o.idTopic())
                  ? idSummary(topic, rows)
                  : topic + " +" + rows.size() + " rows (full refresh)")
          .append(';');
    }
    line.setLength(line.length() - 1);
    out.println(line);
    out.printf(
        "  cursor %s = %s (version %d), committed after the sync's rows (topic %s)%n",
        o.stateKey(), cursor.value(), cursor.version(), o.stateTopic());
    if (latest) {
      // Where the cursor is kept, as of now (later syncs may have committed meanwhile).
      out.println("  now: " + offsetsLine(cursor));
      out.println("  now: " + stateTableLine(cursor));
      if (o.jmx() != null) {
        out.println("  now: " + jmxLine());
      }
    }
    out.flush();
  }

  private String idSummary(String topic, List<JsonNode> rows) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int repeated = 0;
    for (JsonNode row : rows) {
      long id = row.path("id").asLong();
      min = Math.min(min, id);
      max = Math.max(max, id);
      if (!seenIds.add(id)) {
        repeated++;
      }
    }
    return String.format(
        "%s +%d rows, ids %s (new: %d, already seen: %d)",
        topic,
        rows.size(),
        rows.isEmpty() ? "none" : min + ".." + max,
        rows.size() - repeated,
        repeated);
  }

  /** Connect flushes offsets every offset.flush.interval.ms: wait up to 5 s for this cursor. */
  private String offsetsLine(Cursor cursor) throws Exception {
    String where = "connector offsets (GET /connectors/" + o.connector() + "/offsets)";
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    ConnectRest.Reply reply;
    Cursor c;
    while (true) {
      reply = o.rest().get("/connectors/" + o.connector() + "/offsets");
      c = reply.ok() ? cursorIn(reply.body(), o.stateKey()) : null;
      if ((c != null && c.version() >= cursor.version()) || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(250);
    }
    return c == null
        ? where + ": no offset for " + o.stateKey() + " yet (HTTP " + reply.status() + ")"
        : String.format("%s: %s = %s (version %d)", where, o.stateKey(), c.value(), c.version());
  }

  /** The mirror is written after the offsets commit: wait up to 5 s for it to catch up. */
  private String stateTableLine(Cursor cursor) throws Exception {
    StateTableReader reader = new StateTableReader(o.stateJdbcUrl(), o.stateTable());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    StateTableReader.Row row = reader.read().get(o.stateKey());
    while ((row == null || row.version() < cursor.version()) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      row = reader.read().get(o.stateKey());
    }
    String where = "state table " + o.stateTable() + " (" + o.stateJdbcUrl() + ")";
    if (row == null) {
      return where + ": no row for " + o.stateKey() + " yet (the mirror lags)";
    }
    return String.format(
        "%s: %s = %s (version %d)%s",
        where,
        o.stateKey(),
        row.value(),
        row.version(),
        row.version() < cursor.version() ? " (the mirror lags)" : "");
  }

  private String jmxLine() {
    try {
      JmxProbe.Snapshot s = o.jmx().read(o.connector());
      StringBuilder rows = new StringBuilder();
      s.rowsByTable()
          .forEach((t, n) -> rows.append(' ').append(t).append('=').append(n.longValue()));
      return String.format(
          "JMX %s: syncs-completed-total=%d, rows-total:%s",
          o.jmx().hostPort(), (long) s.syncsCompleted(), rows);
    } catch (Exception e) {
      return "JMX " + o.jmx().hostPort() + ": not readable (" + e + ")";
    }
  }
}
