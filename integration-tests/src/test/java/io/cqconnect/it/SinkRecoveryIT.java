package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workers running the sink tasks are removed while rows are still being written (tasks get
 * almost no time to shut down) and fresh workers join: the tasks resume from the last confirmed
 * offsets, so the destination ends with every row, exactly once with overwrite and at least once
 * with append.
 */
class SinkRecoveryIT {

  /**
   * Enough rows that neither sink can write them all before the other has started and both have
   * passed the kill point, also on an idle machine (20,000 were written in about a second there).
   */
  private static final int ROWS = 100_000;

  @RegisterExtension
  static final ConnectClusterExtension CONNECT =
      ConnectClusterExtension.builder()
          .workers(2)
          // A 1 ms graceful shutdown abandons a task mid-flush, as a crash would.
          .workerProp("task.shutdown.graceful.timeout.ms", "1")
          // It removes workers: a cluster of its own.
          .dedicated()
          .build();

  @Test
  void shouldHoldEveryRowAfterTheWorkersDieMidFlush(ConnectHarness harness) throws Exception {
    String topic = "recovery.items";
    harness.cluster().kafka().createTopic(topic, 1);
    try (SinkKafka kafka = new SinkKafka(harness.cluster().kafka().bootstrapServers())) {
      kafka.rows(topic, 1, ROWS, "row-");
    }
    String appendDb = SinkDatabases.newPostgresDatabase("recovery_append");
    String overwriteDb = SinkDatabases.newPostgresDatabase("recovery_overwrite");
    SinkDatabases.Connector append = () -> SinkDatabases.postgres(appendDb);
    SinkDatabases.Connector overwrite = () -> SinkDatabases.postgres(overwriteDb);
    // The slower mode (overwrite upserts) starts first, so that the faster one cannot finish all
    // its rows before both reach the kill point.
    Map<String, String> sinks = new LinkedHashMap<>();
    sinks.put("rec-overwrite", overwriteDb + ":overwrite");
    sinks.put("rec-append", appendDb + ":append");
    for (Map.Entry<String, String> sink : sinks.entrySet()) {
      String[] dbAndMode = sink.getValue().split(":");
      Map<String, String> config =
          SinkConnectors.forFixture(
              Fixtures.DEST_POSTGRESQL,
              SinkDatabases.postgresSpec(dbAndMode[0]),
              topic,
              dbAndMode[1]);
      config.put("batch.max.rows", "500");
      harness.cluster().configureConnector(sink.getKey(), config);
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                SinkDatabases.count(append, topic) >= 1000
                    && SinkDatabases.count(overwrite, topic) >= 1000);
    Set<WorkerHandle> hosts = new HashSet<>();
    for (String connector : List.of("rec-append", "rec-overwrite")) {
      hosts.add(workerOf(harness, harness.cluster().connectorStatus(connector).tasks().get(0)));
    }
    long appendAtKill = SinkDatabases.count(append, topic);
    long overwriteAtKill = SinkDatabases.count(overwrite, topic);
    hosts.forEach(harness.cluster()::removeWorker);
    for (int i = 0; i < hosts.size(); i++) {
      harness.cluster().addWorker();
    }

    assertThat(appendAtKill).as("rows written before the kill (append)").isLessThan(ROWS);
    assertThat(overwriteAtKill).as("rows written before the kill (overwrite)").isLessThan(ROWS);
    await()
        .atMost(Duration.ofSeconds(360))
        .until(
            () -> distinct(append, topic) == ROWS && SinkDatabases.count(overwrite, topic) == ROWS);
    assertThat(
            SinkDatabases.query(
                overwrite,
                "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM \"" + topic + "\""))
        .containsExactly(List.of((long) ROWS, (long) ROWS, 1L, (long) ROWS));
    assertThat(SinkDatabases.count(append, topic)).isGreaterThanOrEqualTo(ROWS);
    assertThat(SinkDatabases.query(append, "SELECT min(id), max(id) FROM \"" + topic + "\""))
        .containsExactly(List.of(1L, (long) ROWS));
  }

  private static long distinct(SinkDatabases.Connector db, String table) {
    List<List<Object>> rows =
        SinkDatabases.query(db, "SELECT count(DISTINCT id) FROM \"" + table + "\"");
    return rows.isEmpty() ? 0 : (Long) rows.get(0).get(0);
  }

  private static WorkerHandle workerOf(ConnectHarness harness, ConnectorStateInfo.TaskState task) {
    String id = task.workerId();
    for (WorkerHandle worker : harness.cluster().workers()) {
      if (id.endsWith(":" + worker.url().getPort())) {
        return worker;
      }
    }
    throw new AssertionError("no worker with id " + id + " among " + harness.cluster().workers());
  }
}
