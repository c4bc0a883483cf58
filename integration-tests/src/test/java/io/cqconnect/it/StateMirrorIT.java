package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mirrored state table: written after each sync with exactly the cursors Connect committed, in
 * SQLite and PostgreSQL over JDBC and through the real Go SQLite destination plugin; never ahead of
 * Connect's offsets; a mirror that is down delays only the mirror, which catches up when it
 * returns.
 */
@ExtendWith(ConnectClusterExtension.class)
class StateMirrorIT {

  static final int TABLES = 2;
  static final int ROWS = 50;

  private final ConnectHarness harness;

  StateMirrorIT(ConnectHarness harness) {
    this.harness = harness;
  }

  /**
   * A connector over the incremental plugin with {@link #TABLES} tables of {@link #ROWS} rows a
   * sync.
   */
  static Map<String, String> source(String name, long intervalMs) {
    Map<String, String> props =
        IncrementalFaults.source(
            name,
            "{\"tables\":" + TABLES + ",\"rows_per_sync\":" + ROWS + ",\"batch_rows\":10}",
            intervalMs);
    props.put("state.table.name", "cq_state_" + name);
    props.put("state.mirror.retry.ms", "300");
    return props;
  }

  private void start(String name, Map<String, String> props) {
    harness.cluster().configureConnector(name, props);
  }

  /** One cursor: value and version. */
  record Cursor(String value, long version) {}

  /** The connector's committed cursors by key (offsets REST API; a reset key shows no offset). */
  static Map<String, Cursor> offsets(ConnectHarness harness, String name) {
    Map<String, Cursor> cursors = new java.util.TreeMap<>();
    harness.cluster().connectorOffsets(name).offsets().stream()
        .filter(o -> o.partition().containsKey("key") && o.offset() != null)
        .forEach(
            o ->
                cursors.put(
                    String.valueOf(o.partition().get("key")),
                    new Cursor(
                        String.valueOf(o.offset().get("value")),
                        ((Number) o.offset().get("version")).longValue())));
    return cursors;
  }

  /** The rows of a state table by key; empty when the table does not exist (yet). */
  static Map<String, Cursor> table(SinkDatabases.Connector db, String table) {
    Map<String, Cursor> rows = new java.util.TreeMap<>();
    for (List<Object> row :
        SinkDatabases.query(db, "SELECT \"key\", \"value\", \"version\" FROM \"" + table + "\"")) {
      rows.put((String) row.get(0), new Cursor((String) row.get(1), (Long) row.get(2)));
    }
    return rows;
  }

  /** Asserts that no key of the table is at a higher version than Connect's offsets. */
  static void assertTableNotAhead(Map<String, Cursor> table, Map<String, Cursor> offsets) {
    table.forEach(
        (key, row) ->
            assertThat(row.version())
                .as(
                    "version of %s in the table (%s) vs Connect's offsets (%s)",
                    key, row, offsets.get(key))
                .isLessThanOrEqualTo(offsets.containsKey(key) ? offsets.get(key).version() : -1));
  }

  /**
   * Runs three syncs, one every 2 s, and checks after each that the table equals the committed
   * offsets (and, whenever sampled, is never ahead of them).
   */
  private void assertMirroredAfterEachSync(String name, SinkDatabases.Connector db) {
    String table = "cq_state_" + name;
    for (int sync = 1; sync <= 3; sync++) {
      long cursor = (long) sync * ROWS;
      await()
          .alias("sync " + sync + " committed and mirrored into " + table)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Map<String, Cursor> rows = table(db, table);
                Map<String, Cursor> offsets = offsets(harness, name);
                assertTableNotAhead(rows, offsets);
                return offsets.size() == TABLES
                    && offsets.values().stream().allMatch(c -> Long.parseLong(c.value()) >= cursor)
                    && rows.equals(offsets);
              });
    }
    Map<String, Cursor> rows = table(db, table);
    System.out.printf("[StateMirrorIT] %s after 3 syncs: table %s%n", name, rows);
    assertThat(rows).hasSize(TABLES);
  }

  @Test
  void shouldMirrorEachSyncsCursorsIntoSqliteOverJdbc() throws IOException {
    Path db = Files.createTempDirectory("cq-mirror").resolve("state.db");
    Map<String, String> props = source("mirror_sqlite", 2000);
    props.put("state.mirror.jdbc.url", "jdbc:sqlite:" + db);
    start("mirror_sqlite", props);
    assertMirroredAfterEachSync("mirror_sqlite", () -> SinkDatabases.sqlite(db));
  }

  @Test
  void shouldMirrorEachSyncsCursorsIntoPostgresqlOverJdbc() throws Exception {
    String database = SinkDatabases.newPostgresDatabase("cq_mirror");
    Map<String, String> props = source("mirror_pg", 2000);
    props.put(
        "state.mirror.jdbc.url",
        "jdbc:postgresql://127.0.0.1:" + SinkDatabases.postgresPort() + "/" + database);
    props.put("state.mirror.jdbc.user", "postgres");
    start("mirror_pg", props);
    assertMirroredAfterEachSync("mirror_pg", () -> SinkDatabases.postgres(database));
  }

  @Test
  void shouldMirrorEachSyncsCursorsThroughTheSqliteDestinationPlugin() throws IOException {
    Path db = Files.createTempDirectory("cq-mirror").resolve("m.db");
    Map<String, String> props = source("mirror_plugin", 2000);
    props.put("state.mirror.path", Fixtures.binary(Fixtures.DEST_SQLITE).toString());
    props.put("state.mirror.spec", SinkDatabases.sqliteSpec(db));
    start("mirror_plugin", props);
    assertMirroredAfterEachSync("mirror_plugin", () -> SinkDatabases.sqlite(db));
  }

  @Test
  void shouldKeepSyncingWhileTheMirrorIsDownAndCatchUpWhenItIsBack() throws Exception {
    String name = "mirror_down";
    String database = SinkDatabases.newPostgresDatabase("cq_mirror_down");
    SinkDatabases.Connector db = () -> SinkDatabases.postgres(database);
    try (TcpProxy proxy = new TcpProxy(SinkDatabases.postgresPort())) {
      Map<String, String> props = source(name, 200);
      props.put(
          "state.mirror.jdbc.url",
          "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database + "?connectTimeout=2");
      props.put("state.mirror.jdbc.user", "postgres");
      start(name, props);
      // The mirror's database is unreachable: syncs go on, the table stays empty.
      await()
          .alias("five syncs committed while the mirror is down")
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                Map<String, Cursor> offsets = offsets(harness, name);
                return offsets.size() == TABLES
                    && offsets.values().stream()
                        .allMatch(c -> Long.parseLong(c.value()) >= 5 * ROWS);
              });
      assertThat(table(db, "cq_state_" + name)).as("table while the mirror is down").isEmpty();
      Map<String, Cursor> whileDown = offsets(harness, name);
      proxy.open();
      await()
          .alias("the mirror catches up once its database is reachable")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Map<String, Cursor> rows = table(db, "cq_state_" + name);
                assertTableNotAhead(rows, offsets(harness, name));
                return rows.size() == TABLES
                    && rows.entrySet().stream()
                        .allMatch(
                            e -> e.getValue().version() >= whileDown.get(e.getKey()).version());
              });
      System.out.printf(
          "[StateMirrorIT] mirror down during syncs up to %s; after it came back: table %s%n",
          whileDown, table(db, "cq_state_" + name));
    }
  }

  /**
   * A TCP forwarder to a local port that starts closed (connections refused) until {@link #open};
   * closing it drops every forwarded connection.
   */
  static final class TcpProxy implements AutoCloseable {
    private final int target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpProxy(int target) throws IOException {
      this.target = target;
      try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        this.port = probe.getLocalPort();
      }
    }

    int port() {
      return port;
    }

    synchronized void open() throws IOException {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server = s;
      Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-" + port);
      accept.setDaemon(true);
      accept.start();
    }

    private void acceptLoop(ServerSocket s) {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return;
        }
      }
    }

    private void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // the other side or the proxy closed
                } finally {
                  closeQuietly(from);
                  closeQuietly(to);
                }
              },
              "tcp-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // closing
      }
    }

    @Override
    public synchronized void close() {
      try {
        if (server != null) {
          server.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sockets.forEach(TcpProxy::closeQuietly);
    }
  }
}
