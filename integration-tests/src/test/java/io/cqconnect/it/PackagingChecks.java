package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqconnect.distribution.testing.LocalKafka;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin directory in a real Connect worker: a separate JVM whose classpath holds
 * Kafka only, started from the image's {@code connect-distributed.properties} (its env config
 * provider included), loading cq-connect through {@code plugin.path} under plugin isolation. Run by
 * {@link WorkerProcessIT} on its shared {@link ImageWorker}; connector {@code pkg-memdb}, topics
 * {@code pkg.*}.
 */
abstract class PackagingChecks {

  private final ImageWorker worker;

  PackagingChecks(ImageWorker worker) {
    this.worker = worker;
  }

  @Test
  void shouldLoadBothConnectorsFromPluginPathAndSyncWhenRunInARealWorker() throws Exception {
    Path memdb = Fixtures.binary(Fixtures.JS_MEMDB);
    assertThat(LocalKafka.workerClasspath())
        .as("the worker's own classpath must not hold cq-connect")
        .doesNotContain("io/cqconnect")
        .doesNotContain("cq-connect-");

    JsonNode plugins = worker.rest("/connector-plugins");
    Map<String, String> types = new HashMap<>();
    plugins.forEach(p -> types.put(p.path("class").asText(), p.path("type").asText()));
    assertThat(types)
        .containsEntry("io.cqconnect.source.CloudQuerySourceConnector", "source")
        .containsEntry("io.cqconnect.sink.CloudQuerySinkConnector", "sink");
    assertThat(Files.readString(worker.log()))
        .as("cq-connect is loaded from the plugin directory, in its own class loader")
        .containsPattern("Loading plugin from: .*/plugins/cq-connect");

    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.cqconnect.source.CloudQuerySourceConnector");
    config.put("tasks.max", "1");
    config.put("plugin.path", memdb.toString());
    config.put("plugin.network", "tcp");
    config.put("plugin.spec", "{\"concurrency\":100}");
    config.put("tables", "*");
    config.put("topic.prefix", "pkg.");
    config.put("sync.interval.ms", "0");
    worker.putConnector("pkg-memdb", config);

    Map<String, Integer> expected =
        Map.of("pkg.table1", 3, "pkg.table2", 2, "pkg.table3", 2, "pkg.table3_child1", 4);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        // The worker creates each topic as its first rows arrive: reading the metadata of a topic
        // that has no leader yet times out on a loaded machine, which means "not yet" here.
        .ignoreExceptionsInstanceOf(TimeoutException.class)
        .untilAsserted(
            () ->
                assertThat(worker.rowCounts(expected.keySet()))
                    .as("rows per topic; worker log:\n" + worker.logTail(30))
                    .isEqualTo(expected));
    JsonNode status = worker.rest("/connectors/pkg-memdb/status");
    assertThat(status.path("connector").path("state").asText()).isEqualTo("RUNNING");
    assertThat(status.path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
  }
}
