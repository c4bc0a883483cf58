package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.distribution.testing.LocalKafka;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connectors' metrics read the way operators read them: over a remote JMX connection
 * (javax.management.remote, RMI on loopback) to a real Connect worker process started with {@code
 * -Dcom.sun.management.jmxremote.port}, after real syncs of the demo plugin (source) and writes to
 * the SQLite destination plugin (sink). The values must match what is in Kafka, and every attribute
 * the worker publishes must be in docs/metrics.md. Run by {@link WorkerProcessIT} on its shared
 * {@link ImageWorker}; connectors {@code mx*}, topics {@code mx*.*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetricsChecks {

  private static final String DOMAIN = "kafka.connect.cloudquery";

  private final ImageWorker worker;
  private Path work;
  private JMXConnector jmx;
  private MBeanServerConnection server;

  MetricsChecks(ImageWorker worker) {
    this.worker = worker;
  }

  @BeforeAll
  void connect() throws Exception {
    work = worker.dir("metrics");
    jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + worker.jmxPort() + "/jmxrmi"));
    server = jmx.getMBeanServerConnection();
  }

  @AfterAll
  void disconnect() throws Exception {
    if (jmx != null) {
      jmx.close();
    }
  }

  private Map<String, String> demoSource(String name, String stateTable) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", "io.cqconnect.source.CloudQuerySourceConnector");
    c.put("tasks.max", "1");
    c.put("plugin.path", LocalKafka.repoDir().resolve("demo-plugin/bin/cq-demo-plugin").toString());
    c.put("plugin.spec", "{\"events_per_sync\":30,\"users\":4}");
    c.put("tables", "*");
    c.put("topic.prefix", name + ".");
    c.put("sync.interval.ms", "0");
    c.put("state.table.name", stateTable);
    c.put("state.mirror.jdbc.url", "jdbc:sqlite:" + work.resolve(name + "-state.db"));
    return c;
  }

  private static ObjectName name(String type, String connector, String table) throws Exception {
    return new ObjectName(
        DOMAIN
            + ":type="
            + type
            + ",connector="
            + connector
            + ",task=0"
            + (table == null ? "" : ",table=" + table));
  }

  private double value(ObjectName name, String attribute) throws Exception {
    return ((Number) server.getAttribute(name, attribute)).doubleValue();
  }

  @Test
  void shouldPublishSourceCountsEqualToTheTopicsWhenReadOverRemoteJmx() throws Exception {
    worker.putConnector("mx", demoSource("mx", "cq_state_mx"));
    ObjectName task = name("source-task-metrics", "mx", null);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(server.isRegistered(task))
                  .as("worker log:\n" + worker.logTail(30))
                  .isTrue();
              assertThat(value(task, "syncs-completed-total")).isGreaterThanOrEqualTo(1);
              assertThat(value(task, "mirror-pending-keys")).isZero();
            });
    Map<String, Integer> topics = worker.rowCounts(List.of("mx.demo_events", "mx.demo_users"));
    assertThat(topics).containsEntry("mx.demo_events", 30).containsEntry("mx.demo_users", 4);

    assertThat(value(task, "syncs-completed-total")).isEqualTo(1);
    assertThat(value(task, "syncs-failed-total")).isZero();
    assertThat(value(task, "sync-duration-ms-last")).isPositive();
    assertThat(value(task, "state-keys-committed-total")).isEqualTo(1);
    assertThat(value(task, "state-keys")).isEqualTo(1);
    assertThat(value(task, "mirror-failures-total")).isZero();
    assertThat(value(task, "queue-size")).isZero();
    assertThat(value(task, "plugin-restarts-total")).isZero();

    ObjectName events = name("source-table-metrics", "mx", "demo_events");
    ObjectName users = name("source-table-metrics", "mx", "demo_users");
    assertThat(value(events, "rows-total")).isEqualTo((double) topics.get("mx.demo_events"));
    assertThat(value(users, "rows-total")).isEqualTo((double) topics.get("mx.demo_users"));
    assertThat(value(events, "bytes-total")).isPositive();
    assertThat(value(events, "plugin-errors-total")).isZero();
  }

  @Test
  void shouldPublishSinkRowsWrittenWhenReadOverRemoteJmx() throws Exception {
    worker.putConnector("mxs", ImageWorker.withSchemas(demoSource("mxs", "cq_state_mxs")));
    Map<String, String> sink = new HashMap<>();
    sink.put("connector.class", "io.cqconnect.sink.CloudQuerySinkConnector");
    sink.put("tasks.max", "1");
    sink.put("topics", "mxs.demo_users");
    sink.put("plugin.path", Fixtures.binary(Fixtures.DEST_SQLITE).toString());
    sink.put("plugin.args", "--no-sentry");
    sink.put("plugin.spec", "{\"connection_string\":\"" + work.resolve("dest.db") + "\"}");
    sink.put("write.mode", "overwrite");
    sink.put("batch.timeout.ms", "1000");
    worker.putConnector("mxs-sqlite", ImageWorker.withSchemas(sink));

    ObjectName table = name("sink-table-metrics", "mxs-sqlite", "demo_users");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(server.isRegistered(table))
                  .as("worker log:\n" + worker.logTail(30))
                  .isTrue();
              assertThat(value(table, "rows-written-total")).isEqualTo(4);
            });
    ObjectName task = name("sink-task-metrics", "mxs-sqlite", null);
    assertThat(value(task, "flushes-total")).isGreaterThanOrEqualTo(1);
    assertThat(value(task, "write-failures-total")).isZero();
  }

  @Test
  void shouldDocumentEveryPublishedAttributeWhenTheWorkerRuns() throws Exception {
    worker.putConnector("mxd", demoSource("mxd", "cq_state_mxd"));
    ObjectName events = name("source-table-metrics", "mxd", "demo_events");
    await().atMost(Duration.ofSeconds(120)).until(() -> server.isRegistered(events));
    String docs = Files.readString(LocalKafka.repoDir().resolve("docs/metrics.md"));
    Set<ObjectName> names = server.queryNames(new ObjectName(DOMAIN + ":*"), null);
    List<String> undocumented = new ArrayList<>();
    int attributes = 0;
    for (ObjectName n : names) {
      String type = n.getKeyProperty("type");
      if (type.equals("kafka-metrics-count")) {
        // The metrics library's own count of registered metrics, one per task.
        assertThat(docs).contains("`type=kafka-metrics-count`");
        continue;
      }
      int section = docs.indexOf("type=" + type + ",");
      int next = section < 0 ? -1 : docs.indexOf("\n### ", section + 1);
      String body = section < 0 ? "" : docs.substring(section, next < 0 ? docs.length() : next);
      for (MBeanAttributeInfo a : server.getMBeanInfo(n).getAttributes()) {
        attributes++;
        if (!body.contains("| `" + a.getName() + "` | " + a.getDescription() + " |")) {
          undocumented.add(n + " " + a.getName());
        }
      }
    }
    assertThat(attributes).isGreaterThan(10);
    assertThat(undocumented)
        .as("attributes published over JMX but missing from docs/metrics.md")
        .isEmpty();
  }
}
