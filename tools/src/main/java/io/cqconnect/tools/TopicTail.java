package io.cqconnect.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from the beginning as they appear (the connector creates them on its first sync) and
 * keeps, per topic and in order, the JSON object values (rows) and the end-of-sync markers the
 * source connector writes after each sync (header {@code cq.control=sync-end}), so that rows can be
 * told apart by sync. Other values (the connector's key index, tombstones) are skipped.
 */
final class TopicTail implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final List<TopicPartition> assigned = new ArrayList<>();
  private final Map<String, List<List<JsonNode>>> syncs = new HashMap<>();
  private final Map<String, List<JsonNode>> open = new HashMap<>();
  private final Map<String, List<JsonNode>> objects = new HashMap<>();

  TopicTail(String bootstrap, List<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Only watch: topics are the connector's to create.
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(p);
    this.topics = List.copyOf(topics);
  }

  /** Reads what is there now, until every assigned partition is at its end (or the timeout). */
  void drain(Duration timeout) throws IOException {
    assignNewTopics();
    if (assigned.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        Header control = r.headers().lastHeader("cq.control");
        if (control != null
            && "sync-end".equals(new String(control.value(), StandardCharsets.UTF_8))) {
          syncs.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(open.remove(r.topic()));
          continue;
        }
        JsonNode value = r.value() == null ? null : JSON.readTree(r.value());
        if (value != null && value.isObject()) {
          open.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(value);
          objects.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(value);
        }
      }
    } while (!atEnd(end) && System.nanoTime() < deadline);
  }

  /** The rows of each sync ended by a marker so far, oldest sync first. */
  List<List<JsonNode>> syncs(String topic) {
    List<List<JsonNode>> out = new ArrayList<>();
    for (List<JsonNode> rows : syncs.getOrDefault(topic, List.of())) {
      out.add(rows == null ? List.of() : rows);
    }
    return out;
  }

  /** Every JSON object value of the topic read so far (rows, or state records), oldest first. */
  List<JsonNode> objects(String topic) {
    return objects.getOrDefault(topic, List.of());
  }

  private void assignNewTopics() {
    List<TopicPartition> more = new ArrayList<>();
    for (String topic : topics) {
      if (assigned.stream().anyMatch(tp -> tp.topic().equals(topic))) {
        continue;
      }
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (partitions != null) {
        partitions.forEach(pi -> more.add(new TopicPartition(topic, pi.partition())));
      }
    }
    if (!more.isEmpty()) {
      assigned.addAll(more);
      consumer.assign(assigned);
      consumer.seekToBeginning(more);
    }
  }

  private boolean atEnd(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
