package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqconnect.distribution.testing.LocalKafka;
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

/**
 * A real KRaft broker process and one Connect worker process ({@link LocalKafka}) started the way
 * the image starts them: the worker's classpath holds Kafka only, its configuration is the image's
 * {@code docker/connect-distributed.properties} (its env config provider included), cq-connect is
 * loaded from the packaged plugin directory on {@code plugin.path} under plugin isolation, and the
 * JVM carries the JMX exporter's Java agent with {@code docker/prometheus/jmx-exporter.yml} (as the
 * image's KAFKA_OPTS does) and a remote JMX port on loopback. {@link #close()} stops both
 * processes.
 */
final class ImageWorker implements AutoCloseable {

  private final Path work;
  private final LocalKafka kafka;
  private final LocalKafka.Worker worker;
  private final int jmxPort;
  private final String agentTarget;

  private ImageWorker(
      Path work, LocalKafka kafka, LocalKafka.Worker worker, int jmxPort, String agentTarget) {
    this.work = work;
    this.kafka = kafka;
    this.worker = worker;
    this.jmxPort = jmxPort;
    this.agentTarget = agentTarget;
  }

  /**
   * Starts the broker and the worker (Connect group {@code group}) with their files in {@code
   * work}.
   */
  static ImageWorker start(Path work, String group) throws Exception {
    Path agent = Path.of(System.getProperty("cq.jmx.exporter.jar", "(cq.jmx.exporter.jar unset)"));
    assertThat(agent)
        .as("the JMX exporter agent jar: run `mvn -pl docker -am package` first (it copies it)")
        .isRegularFile();
    LocalKafka kafka = LocalKafka.start(Files.createDirectories(work.resolve("kafka")));
    try {
      int rest = LocalKafka.freePort();
      int jmxPort = LocalKafka.freePort();
      String agentTarget = "127.0.0.1:" + LocalKafka.freePort();
      Path exporterConfig = LocalKafka.repoDir().resolve("docker/prometheus/jmx-exporter.yml");
      LocalKafka.Worker worker =
          kafka.startWorker(
              "worker",
              imageWorkerConfig(work, rest),
              rest,
              jmxPort,
              Map.of(
                  "CONNECT_BOOTSTRAP_SERVERS",
                  kafka.bootstrap(),
                  "CONNECT_GROUP_ID",
                  group,
                  "CONNECT_REST_ADVERTISED_HOST_NAME",
                  "127.0.0.1"),
              List.of("-javaagent:" + agent + "=" + agentTarget + ":" + exporterConfig));
      return new ImageWorker(work, kafka, worker, jmxPort, agentTarget);
    } catch (Exception | AssertionError e) {
      kafka.close();
      throw e;
    }
  }

  /**
   * docker/connect-distributed.properties with the three lines a test must change: a loopback
   * listener on a free port, a temporary plugin.path holding the packaged plugin directory (as the
   * image has it under /opt/kafka/plugins/cq-connect), and quick offset flushes.
   */
  private static Path imageWorkerConfig(Path work, int restPort) throws Exception {
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

  /** A directory of its own under the work directory, for one group's files (databases, logs). */
  Path dir(String name) throws Exception {
    return Files.createDirectories(work.resolve(name));
  }

  String bootstrap() {
    return kafka.bootstrap();
  }

  String restUrl() {
    return worker.restUrl();
  }

  /** The worker's remote JMX port (RMI registry and server on loopback, no authentication). */
  int jmxPort() {
    return jmxPort;
  }

  /** {@code host:port} of the JMX exporter agent's HTTP endpoint. */
  String agentTarget() {
    return agentTarget;
  }

  Path log() {
    return worker.log();
  }

  String logTail(int lines) {
    return worker.logTail(lines);
  }

  /** Creates or updates connector {@code name} through the worker's REST API. */
  void putConnector(String name, Map<String, String> config) throws Exception {
    HttpJson.put(restUrl() + "/connectors/" + name + "/config", config);
  }

  /** GETs {@code path} (for example {@code /connector-plugins}) from the worker's REST API. */
  JsonNode rest(String path) throws Exception {
    return HttpJson.get(restUrl() + path);
  }

  /** Rows (records with a value; not the end-of-sync markers) per topic, read from the start. */
  Map<String, Integer> rowCounts(Iterable<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
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

  @Override
  public void close() {
    kafka.close();
  }
}
