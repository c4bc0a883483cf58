package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A compacted topic whose only record left for a table is a tombstone (the row it deleted was
 * compacted away), read by a new sink: CloudQuery's SQLite and PostgreSQL destinations refuse the
 * delete (the table does not exist), the sink skips and counts it, commits past it, stays RUNNING
 * and writes the rows of another table that arrive before and after it.
 */
@ExtendWith(ConnectClusterExtension.class)
class SinkMissingTableTombstoneIT {

  private final ConnectHarness harness;

  SinkMissingTableTombstoneIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldSkipATombstoneOfATableSqliteNeverHadAndWriteTheRest() throws Exception {
    Path db = Files.createTempDirectory("sink-tomb").resolve("tomb.db");
    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
    // SQLite's SDK batch writer keeps the refused delete queued: the plugin is restarted once.
    run("tomb-sqlite", Fixtures.DEST_SQLITE, SinkDatabases.sqliteSpec(db), sqlite, 1);
  }

  @Test
  void shouldSkipATombstoneOfATablePostgresNeverHadAndWriteTheRest() throws Exception {
    String database = SinkDatabases.newPostgresDatabase("tomb");
    SinkDatabases.Connector pg = () -> SinkDatabases.postgres(database);
    // PostgreSQL's writer forgets a failed Write: no restart.
    run("tomb-pg", Fixtures.DEST_POSTGRESQL, SinkDatabases.postgresSpec(database), pg, 0);
  }

  private void run(
      String name, String plugin, String spec, SinkDatabases.Connector db, int restarts)
      throws Exception {
    EmbeddedConnectCluster cluster = harness.cluster();
    String gone = name + ".gone";
    String items = name + ".items";
    Map<String, String> compacted = Map.of("cleanup.policy", "compact");
    cluster.kafka().createTopic(gone, 1, 1, compacted);
    cluster.kafka().createTopic(items, 1, 1, compacted);
    try (SinkKafka kafka = new SinkKafka(cluster.kafka().bootstrapServers())) {
      kafka.rows(items, 1, 5, "before-");
      kafka.tombstone(gone, 42);
      kafka.rows(items, 6, 10, "after-");
    }

    Map<String, String> sink =
        SinkConnectors.forFixture(plugin, spec, items + "," + gone, "overwrite");
    sink.put("batch.timeout.ms", "300");
    long start = System.nanoTime();
    cluster.configureConnector(name, sink);

    await("10 rows of " + items)
        .atMost(Duration.ofSeconds(60))
        .until(() -> SinkDatabases.count(db, items) == 10);
    await("offsets committed past the tombstone and the rows")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> committed(name).equals(Map.of(gone, 1L, items, 10L)));
    System.out.printf(
        "%s: rows written and offsets committed %d ms after the connector was created%n",
        name, Duration.ofNanos(System.nanoTime() - start).toMillis());

    assertThat(cluster.connectorStatus(name).tasks())
        .singleElement()
        .satisfies(t -> assertThat(t.state()).isEqualTo("RUNNING"));
    assertThat(metric(name, "sink-table-metrics", ",table=" + gone, "tombstones-skipped-total"))
        .isEqualTo(1.0);
    assertThat(metric(name, "sink-task-metrics", "", "plugin-restarts-total")).isEqualTo(restarts);
    assertThat(SinkDatabases.query(db, "SELECT id, name FROM \"" + items + "\" WHERE id IN (5, 6)"))
        .containsExactlyInAnyOrder(
            java.util.List.of(5L, "before-5"), java.util.List.of(6L, "after-6"));
    assertThat(SinkDatabases.query(db, "SELECT count(*) FROM \"" + gone + "\""))
        .as("the skipped tombstone created no table")
        .isEmpty();
  }

  /** The sink's committed offsets by topic, read through Connect's REST offsets API. */
  private Map<String, Long> committed(String connector) {
    Map<String, Long> out = new HashMap<>();
    harness
        .cluster()
        .connectorOffsets(connector)
        .offsets()
        .forEach(
            o ->
                out.put(
                    (String) o.partition().get("kafka_topic"),
                    ((Number) o.offset().get("kafka_offset")).longValue()));
    return out;
  }

  /** A metric of the sink's task 0, read from the worker's JMX (same JVM). */
  private static double metric(String connector, String type, String table, String attribute)
      throws Exception {
    ObjectName name =
        new ObjectName(
            "kafka.connect.cloudquery:type="
                + type
                + ",connector="
                + connector
                + ",task=0"
                + table);
    return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute))
        .doubleValue();
  }
}
