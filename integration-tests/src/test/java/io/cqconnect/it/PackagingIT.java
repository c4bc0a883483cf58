package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqconnect.distribution.testing.LocalKafka;
import io.cqconnect.plugin.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin directory in a real Connect worker: a separate JVM whose classpath holds
 * Kafka only, started from the image's {@code connect-distributed.properties} (its env config
 * provider included), loading cq-connect through {@code plugin.path} under plugin isolation. The
 * broker is a real KRaft broker process too.
 */
class PackagingIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path work;

  @Test
  void shouldLoadBothConnectorsFromPluginPathAndSyncWhenRunInARealWorker() throws Exception {
    Path memdb = Fixtures.binary(Fixtures.JS_MEMDB);
    assertThat(LocalKafka.workerClasspath())
        .as("the worker's own classpath must not hold cq-connect")
        .doesNotContain("io/cqconnect")
        .doesNotContain("cq-connect-");
    try (LocalKafka kafka = LocalKafka.start(Files.createDirectories(work.resolve("kafka")))) {
      int rest = LocalKafka.freePort();
      LocalKafka.Worker worker =
          kafka.startWorker(
              "worker",
              imageWorkerConfig(work, rest),
              rest,
              0,
              imageWorkerEnv(kafka, "packaging-it"));

      JsonNode plugins = get(worker.restUrl() + "/connector-plugins");
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
      put(worker.restUrl() + "/connectors/memdb/config", config);

      Map<String, Integer> expected =
          Map.of("pkg.table1", 3, "pkg.table2", 2, "pkg.table3", 2, "pkg.table3_child1", 4);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(rowCounts(kafka.bootstrap(), expected.keySet()))
                      .as("rows per topic; worker log:\n" + worker.logTail(30))
                      .isEqualTo(expected));
      JsonNode status = get(worker.restUrl() + "/connectors/memdb/status");
      assertThat(status.path("connector").path("state").asText()).isEqualTo("RUNNING");
      assertThat(status.path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
    }
  }

  /**
   * docker/connect-distributed.properties with the three lines a test must change: a loopback
   * listener on a free port, a temporary plugin.path holding the packaged plugin directory (as the
   * image has it under /opt/kafka/plugins/cq-connect), and quick offset flushes.
   */
  static Path imageWorkerConfig(Path work, int restPort) throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    Files.createSymbolicLink(plugins.resolve("cq-connect"), LocalKafka.pluginDir());
    List<String> lines = new ArrayList<>();
    for (String line :
        Files.readAllLines(LocalKafka.repoDir().resolve("docker/connect-distributed.properties"))) {
      if (line.startsWith("listeners=")) {
        line = "listeners=http://127.0.0.1:" + restPort;
      } else if (line.startsWith("rest.advertised.port=")) {
        line = "rest.advertised.port=" + restPort;
      } else if (line.startsWith("plugin.path=")) {
        line = "plugin.path=" + plugins;
      } else if (line.startsWith("offset.flush.interval.ms=")) {
        line = "offset.flush.interval.ms=1000";
      }
      lines.add(line);
    }
    Path file = work.resolve("connect-distributed.properties");
    Files.write(file, lines);
    return file;
  }

  /**
   * {@code config} with JsonConverter keys and values that carry their schemas: the image's worker
   * writes JSON without schemas (the fast default for source connectors), and a sink needs them, so
   * both connectors of a source → sink pipeline on that worker override it, as README says.
   */
  static Map<String, String> withSchemas(Map<String, String> config) {
    Map<String, String> c = new HashMap<>(config);
    for (String side : List.of("key", "value")) {
      c.put(side + ".converter", "org.apache.kafka.connect.json.JsonConverter");
      c.put(side + ".converter.schemas.enable", "true");
    }
    return c;
  }

  /** The environment the image's worker configuration reads through ${env:...}. */
  static Map<String, String> imageWorkerEnv(LocalKafka kafka, String group) {
    return Map.of(
        "CONNECT_BOOTSTRAP_SERVERS",
        kafka.bootstrap(),
        "CONNECT_GROUP_ID",
        group,
        "CONNECT_REST_ADVERTISED_HOST_NAME",
        "127.0.0.1");
  }

  /** Rows (records with a value; not the end-of-sync markers) per topic, read from the start. */
  static Map<String, Integer> rowCounts(String bootstrap, Iterable<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(5))
            .forEach(pi -> partitions.add(new TopicPartition(topic, pi.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            counts.merge(r.topic(), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static void put(String url, Map<String, String> config) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("PUT " + url + ": " + r.body()).isIn(200, 201);
  }
}
