package io.cqconnect.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * A real Kafka broker and Connect worker in the test JVM ({@link EmbeddedConnectCluster}), set up
 * the way cq-connect is deployed: connectors found through {@code META-INF/services}, JSON
 * converters with schemas, short offset flush interval. Also reads topics back as JSON.
 */
public final class ConnectHarness implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmbeddedConnectCluster cluster;
  private KafkaConsumer<byte[], byte[]> probe;

  private ConnectHarness(EmbeddedConnectCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts one broker and {@code workers} workers. */
  public static ConnectHarness start(String name, int workers) {
    return start(name, workers, Map.of());
  }

  /** Starts one broker and {@code workers} workers with extra worker properties. */
  public static ConnectHarness start(
      String name, int workers, Map<String, String> extraWorkerProps) {
    Map<String, String> props = new HashMap<>();
    props.put("plugin.discovery", "service_load");
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("key.converter.schemas.enable", "true");
    props.put("value.converter.schemas.enable", "true");
    props.put("offset.flush.interval.ms", "1000");
    props.put("connector.client.config.override.policy", "All");
    props.put("config.providers", "env");
    props.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    props.putAll(extraWorkerProps);
    Properties broker = new Properties();
    broker.put("auto.create.topics.enable", "true");
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    EmbeddedConnectCluster cluster =
        new EmbeddedConnectCluster.Builder()
            .name(name)
            .numWorkers(workers)
            .numBrokers(1)
            .workerProps(props)
            .brokerProps(broker)
            .build();
    cluster.start();
    return new ConnectHarness(cluster);
  }

  public EmbeddedConnectCluster cluster() {
    return cluster;
  }

  /** Stops a connector (KIP-875's {@code PUT .../stop}) and waits until it has no task left. */
  public void stopAndAwait(String connector) {
    cluster.stopConnector(connector);
    await()
        .alias(connector + " stopped")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ConnectorStateInfo status = cluster.connectorStatus(connector);
              return "STOPPED".equals(status.connector().state()) && status.tasks().isEmpty();
            });
  }

  /** Waits up to {@code atMost} until {@code topic} holds an end-of-sync marker. */
  public void awaitMarker(String topic, Duration atMost) {
    org.awaitility.Awaitility.await()
        .alias("an end-of-sync marker on " + topic)
        .atMost(atMost)
        .until(() -> readAll(topic, Duration.ofSeconds(10)).stream().anyMatch(Message::isMarker));
  }

  /** Every record now in the topic, from the beginning, as (key JSON, value JSON, headers). */
  public List<Message> readAll(String topic, Duration timeout) {
    return readAll(topic, timeout, false);
  }

  /** Like {@link #readAll(String, Duration)}; {@code readCommitted} hides aborted transactions. */
  public List<Message> readAll(String topic, Duration timeout, boolean readCommitted) {
    List<Message> messages = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        records(cluster.kafka().bootstrapServers(), topic, timeout, readCommitted)) {
      messages.add(
          new Message(r.partition(), r.offset(), parse(r.key()), parse(r.value()), headers(r)));
    }
    return messages;
  }

  /**
   * The end-of-sync markers now in {@code topic}, told by their header, so whatever converter wrote
   * the values.
   */
  public long syncEnds(String topic) {
    return records(cluster.kafka().bootstrapServers(), topic, Duration.ofSeconds(10), false)
        .stream()
        .filter(r -> "sync-end".equals(headers(r).get("cq.control")))
        .count();
  }

  /** Waits up to {@code atMost} until {@code topic} holds {@code count} end-of-sync markers. */
  public void awaitSyncEnds(String topic, int count, Duration atMost) {
    await("end-of-sync marker " + count + " on " + topic)
        .atMost(atMost)
        .until(() -> syncEnds(topic) >= count);
  }

  /**
   * The rows now in {@code topic}: records without the {@code cq.control} header and with a value
   * (no tombstone), key and value bytes as their converter wrote them.
   */
  public List<ConsumerRecord<byte[], byte[]>> dataRecords(String topic) {
    return records(cluster.kafka().bootstrapServers(), topic, Duration.ofSeconds(10), false)
        .stream()
        .filter(r -> !headers(r).containsKey("cq.control") && r.value() != null)
        .toList();
  }

  /** Every record now in {@code topic} of the cluster at {@code bootstrap}, from the beginning. */
  static List<ConsumerRecord<byte[], byte[]>> records(
      String bootstrap, String topic, Duration timeout, boolean readCommitted) {
    Properties props = consumerProps(bootstrap, readCommitted);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, timeout)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static Properties consumerProps(String bootstrap, boolean readCommitted) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        readCommitted ? "read_committed" : "read_uncommitted");
    return props;
  }

  /** A record's headers as text. */
  static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    record
        .headers()
        .forEach(
            h ->
                headers.put(
                    h.key(),
                    h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
    return headers;
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The end offset of partition 0 of {@code topic}; 0 while the topic does not exist. */
  public synchronized long endOffset(String topic) {
    if (probe == null) {
      probe = new KafkaConsumer<>(consumerProps(cluster.kafka().bootstrapServers(), false));
    }
    if (probe.listTopics(Duration.ofSeconds(10)).get(topic) == null) {
      return 0;
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    return probe.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
  }

  @Override
  public synchronized void close() {
    if (probe != null) {
      probe.close(Duration.ofSeconds(5));
    }
    cluster.stop();
  }

  /**
   * One record read back: key and value as the JSON converter wrote them ({@code schema} and {@code
   * payload}), null for a null key or value.
   */
  public record Message(
      int partition, long offset, JsonNode key, JsonNode value, Map<String, String> headers) {
    /** The value's payload (the row), or null for a tombstone or marker. */
    public JsonNode payload() {
      return value == null ? null : value.get("payload");
    }

    public boolean isMarker() {
      return headers.containsKey("cq.control");
    }
  }
}
