package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;

/**
 * One hand-off scenario: a state database served by cq-state-server, a CloudQuery spec the real CLI
 * syncs with it, the source connector translated from that spec running on the shared Connect
 * cluster, and a {@link CliLedger} of the turns each side took.
 *
 * <p>A Connect turn follows the README's procedure: create (or resume) the connector, wait until
 * its sync's cursor is a committed offset and then in the state table, stop the connector. An
 * interrupted turn removes the (only) worker while the sync is running instead; the next Connect
 * turn adds a worker back.
 */
final class CliHandoff implements AutoCloseable {

  static final String TABLE = "incr_events_0";
  static final String STATE_TABLE = "cq_state_handoff";

  private final ConnectHarness harness;
  private final EmbeddedConnectCluster cluster;
  private final Path dir;
  private final CliStateDb db;
  private final CliStateServer server;
  private final String source;
  private final Path dataDb;
  private final IncrementalTopics topics;
  private final List<String> report = new ArrayList<>();
  private CliLedger ledger;
  private Path spec;
  private Map<String, String> connectorConfig;
  private boolean created;
  private boolean workerRemoved;

  /** The cursor of Connect's last finished sync, as its committed offset. */
  private String connectCursor;

  private int cliRuns;

  private CliHandoff(
      ConnectHarness harness, Path dir, CliStateDb db, CliStateServer server, String source) {
    this.harness = harness;
    this.cluster = harness.cluster();
    this.dir = dir;
    this.db = db;
    this.server = server;
    this.source = source;
    this.dataDb = dir.resolve("cli-data.sqlite");
    this.topics = new IncrementalTopics(harness);
  }

  /** A new state database of {@code kind} in {@code dir} and a cq-state-server on it. */
  static CliHandoff start(ConnectHarness harness, Path dir, CliStateDb.Kind kind, String source)
      throws SQLException, IOException, InterruptedException {
    CliStateDb db = CliStateDb.create(kind, dir);
    return new CliHandoff(
        harness, dir, db, CliStateServer.start(db, dir.resolve("cq-state-server.log")), source);
  }

  CliStateDb db() {
    return db;
  }

  CliStateServer server() {
    return server;
  }

  String source() {
    return source;
  }

  String topic() {
    return source + "." + TABLE;
  }

  /** Connect's state topic: one record per committed cursor. */
  String stateTopic() {
    return source + ".cq_state";
  }

  /**
   * Renders the spec template the CLI runs; the ledger starts from the table's cursor now (0:
   * none).
   */
  Path writeSpec(String template, String pluginSpec) throws IOException {
    Map<String, String> values = new TreeMap<>();
    values.put("SOURCE_NAME", source);
    values.put("SOURCE_PATH", Fixtures.binary(Fixtures.SOURCE_INCREMENTAL).toString());
    values.put("DEST_PATH", Fixtures.binary(Fixtures.DEST_SQLITE).toString());
    values.put("DATA_DB", dataDb.toString());
    values.put("STATE_TABLE", STATE_TABLE);
    values.put("STATE_ADDRESS", server.address());
    values.put("PLUGIN_SPEC", pluginSpec);
    spec = CliSpecs.render(template, dir.resolve(source + ".yml"), values);
    String initial = db.value(STATE_TABLE, TABLE);
    ledger = new CliLedger(TABLE, initial == null ? 0 : Long.parseLong(initial));
    return spec;
  }

  /**
   * Sets the connector config Connect runs: the translation plus the listed test-only overrides.
   */
  void useConnectorConfig(Map<String, String> translated, Map<String, String> overrides) {
    connectorConfig = CliSpecs.withOverrides(translated, overrides);
    note("translated source connector config: " + translated);
    note("test-only overrides: " + overrides);
  }

  /** The output file of the {@code n}-th CLI run (from 1). */
  Path cliLog(int n) {
    return dir.resolve("cli-" + n + ".log");
  }

  /** One {@code cloudquery sync}; checks it started from the cursor the state table held. */
  CliSync.Run cliTurn() throws Exception {
    String before = db.value(STATE_TABLE, TABLE);
    cliRuns++;
    CliSync.Run run = CliSync.sync(spec, dir, cliLog(cliRuns), TABLE);
    assertThat(run.storedCursor())
        .as(
            "cursor the CLI's sync started from (logged by the plugin) vs the state table before it")
        .isEqualTo(before == null ? 0 : Long.parseLong(before));
    List<CliSync.Row> rows = CliSync.rows(dataDb, TABLE);
    String latest = rows.stream().map(CliSync.Row::syncTime).max(String::compareTo).orElseThrow();
    List<CliLedger.Entry> entries =
        rows.stream()
            .filter(r -> r.syncTime().equals(latest))
            .map(r -> new CliLedger.Entry(r.id(), r.syncStart()))
            .toList();
    CliLedger.Turn turn = ledger.add(CliLedger.Side.CLI, false, entries, stateRow());
    note(
        turn
            + "; plugin logged stored_cursor="
            + run.storedCursor()
            + " first_id="
            + run.firstId()
            + " last_id="
            + run.lastId());
    return run;
  }

  /**
   * One Connect sync that finishes: its cursor committed and mirrored, then the connector stopped.
   */
  CliLedger.Turn connectTurn() {
    String before = connectCursor;
    long start = endOffset();
    startConnect();
    await()
        .alias("Connect commits the cursor of its sync")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String now = committedCursor();
              return now != null && !now.equals(before);
            });
    String committed = committedCursor();
    connectCursor = committed;
    await()
        .alias("the mirror writes cursor " + committed + " to the state table")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> committed.equals(db.value(STATE_TABLE, TABLE)));
    cluster.stopConnector(source);
    try {
      cluster.assertions().assertConnectorIsStopped(source, "connector did not stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    CliLedger.Turn turn =
        ledger.add(CliLedger.Side.CONNECT, false, kafkaEntries(start), stateRow());
    assertThat(committed)
        .as("Connect's committed cursor is its last row's id")
        .isEqualTo(Long.toString(turn.lastId()));
    note(turn + "; Connect offset cursor " + committed);
    return turn;
  }

  /**
   * One Connect sync stopped abruptly: as soon as its first rows are in Kafka, the only worker is
   * removed (stopped) mid-sync. Checks the sync had not finished and committed nothing.
   */
  CliLedger.Turn connectTurnInterrupted(int rowsPerSync) {
    CliStateDb.StoredRow tableBefore = stateRow();
    long stateRecords = endOffset(stateTopic());
    long start = endOffset();
    startConnect();
    await()
        .alias("the first rows of the Connect sync reach Kafka")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> endOffset() > start);
    WorkerHandle worker = cluster.workers().iterator().next();
    cluster.removeWorker(worker);
    workerRemoved = true;
    List<CliLedger.Entry> entries = kafkaEntries(start);
    assertThat(entries.size())
        .as(
            "rows the interrupted sync delivered: fewer than a whole sync, or the stop"
                + " came too late to interrupt it")
        .isLessThan(rowsPerSync);
    assertThat(endOffset(stateTopic()))
        .as(
            "end of the state topic %s: the interrupted sync committed no" + " cursor",
            stateTopic())
        .isEqualTo(stateRecords);
    assertThat(stateRow()).as("state table row after the interrupted sync").isEqualTo(tableBefore);
    CliLedger.Turn turn = ledger.add(CliLedger.Side.CONNECT, true, entries, stateRow());
    note(
        turn
            + "; worker removed mid-sync, no state record written ("
            + stateTopic()
            + " end offset "
            + stateRecords
            + ")");
    return turn;
  }

  private void startConnect() {
    if (!created) {
      cluster.configureConnector(source, connectorConfig);
      created = true;
    } else if (workerRemoved) {
      // The connector was running when its worker went away: a new worker starts its task.
      addWorker();
    } else {
      cluster.resumeConnector(source);
    }
  }

  private void addWorker() {
    cluster.addWorker();
    workerRemoved = false;
    try {
      cluster.assertions().assertAtLeastNumWorkersAreUp(1, "the added worker did not come up");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The cursor Connect committed for the table (offsets REST API; needs a worker), or null. */
  String committedCursor() {
    return created ? IncrementalResumeIT.cursors(harness, source).get(TABLE) : null;
  }

  private CliStateDb.StoredRow stateRow() {
    return db.rows(STATE_TABLE).get(TABLE);
  }

  private List<CliLedger.Entry> kafkaEntries(long fromOffset) {
    return topics.rows(topic()).stream()
        .filter(r -> r.offset() >= fromOffset)
        .map(r -> new CliLedger.Entry(r.id(), r.syncStart()))
        .toList();
  }

  private long endOffset() {
    return endOffset(topic());
  }

  private long endOffset(String topic) {
    return harness.endOffset(topic);
  }

  CliLedger ledger() {
    return ledger;
  }

  void note(String line) {
    report.add(line);
  }

  /** Prints what happened, for the test log and the report. */
  void print(String test) {
    StringBuilder out =
        new StringBuilder("[")
            .append(test)
            .append("] ")
            .append(db.kind())
            .append(", state server ")
            .append(server.address())
            .append('\n');
    report.forEach(line -> out.append("  ").append(line).append('\n'));
    System.out.print(out);
  }

  @Override
  public void close() throws Exception {
    try {
      if (workerRemoved) {
        addWorker();
      }
      if (created) {
        cluster.deleteConnector(source);
      }
    } finally {
      server.close();
    }
  }
}
