package io.cqconnect.benchmark;

import io.cqconnect.plugin.SyncHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The topics of a source with {@code record.format=arrow}, whose record count is the plugin's
 * insert count, not the row count: a sync is in Kafka when each topic's last record is its
 * end-of-sync marker (the source writes markers after every batch is acknowledged), and its rows
 * are the sum of the batches' {@code cq.rows} headers.
 */
final class ArrowTopics implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;

  ArrowTopics(String bootstrap, List<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "16777216");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.partitions = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
  }

  /**
   * Polls every 50 ms until every topic ends with an end-of-sync marker; {@code timeline} gets when
   * the first record was in Kafka, when the last data record was (the end offsets reached the final
   * count less the markers, as seen by these polls) and when the markers were.
   */
  void awaitMarkers(Duration timeout, Timeline timeline) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<long[]> seen = new java.util.ArrayList<>(); // {epoch ms, records in the topics}
    while (System.nanoTime() < deadline) {
      consumer.assign(partitions);
      long records =
          consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      seen.add(new long[] {System.currentTimeMillis(), records});
      if (records > 0) {
        timeline.mark("first record in Kafka");
      }
      if (records > 0 && allEndWithMarker()) {
        timeline.mark("end-of-sync markers in Kafka (timed end)");
        long last =
            consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        seen.stream()
            .filter(s -> s[1] >= last - partitions.size())
            .findFirst()
            .ifPresent(s -> timeline.at("last data record in Kafka", s[0]));
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "topics " + partitions + " did not end with end-of-sync markers within " + timeout);
  }

  /** Rows in the topics' Arrow batches (reads every record's headers). */
  long rows() {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long rows = 0;
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
        Header header = r.headers().lastHeader(SyncHeaders.ROWS);
        if (header != null) {
          rows += Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return rows;
  }

  private boolean allEndWithMarker() {
    consumer.assign(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    for (TopicPartition tp : partitions) {
      long end = ends.getOrDefault(tp, 0L);
      if (end == 0) {
        return false;
      }
      consumer.seek(tp, end - 1);
    }
    int marked = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    java.util.Set<TopicPartition> seen = new java.util.HashSet<>();
    while (seen.size() < partitions.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() == ends.get(tp) - 1 && seen.add(tp)) {
          Header control = r.headers().lastHeader(SyncHeaders.CONTROL);
          if (control != null
              && SyncHeaders.SYNC_END.equals(new String(control.value(), StandardCharsets.UTF_8))) {
            marked++;
          }
        }
      }
    }
    return marked == partitions.size();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
