package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad records with a dead letter queue configured: records the converter cannot read and records
 * the sink cannot turn into Arrow both land in the DLQ with Connect's context headers, and the good
 * records around them keep flowing into the destination; bad records at a partition's end, which
 * Connect drops before the task's {@code put}, are committed all the same.
 */
@ExtendWith(ConnectClusterExtension.class)
class SinkDeadLetterIT {

  private final ConnectHarness harness;

  SinkDeadLetterIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldRouteBadRecordsToTheDlqWithContextAndWriteTheRest() throws Exception {
    String topic = "dlq.items";
    String dlq = "dlq.items.dead";
    Path db = Files.createTempDirectory("sink-dlq").resolve("dlq.db");
    Map<String, String> sink = sinkWithDlq(topic, dlq, db);
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    sink.put("batch.max.rows", "5");
    harness.cluster().configureConnector("dlq-sink", sink);

    String notAUuid =
        "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
            + "{\"field\":\"_cq_id\",\"type\":\"string\",\"parameters\":{\"ARROW:extension:name\":\"uuid\","
            + "\"ARROW:extension:metadata\":\"uuid-serialized\"}}]},\"payload\":{\"id\":99,\"_cq_id\":\"not-a-uuid\"}}";
    try (SinkKafka kafka = new SinkKafka(harness.cluster().kafka().bootstrapServers())) {
      for (long id = 1; id <= 10; id++) {
        kafka.row(topic, id, "row-" + id);
      }
      kafka.send(topic, null, "this is not json".getBytes(StandardCharsets.UTF_8));
      kafka.send(
          topic, null, "{\"schema\":null,\"payload\":{\"id\":5}}".getBytes(StandardCharsets.UTF_8));
      kafka.send(topic, null, notAUuid.getBytes(StandardCharsets.UTF_8));
      for (long id = 11; id <= 20; id++) {
        kafka.row(topic, id, "row-" + id);
      }

      SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
      await().atMost(Duration.ofSeconds(90)).until(() -> SinkDatabases.count(sqlite, topic) == 20);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> kafka.readAll(dlq, Duration.ofSeconds(5)).size() == 3);

      List<SinkKafka.Raw> dead = kafka.readAll(dlq, Duration.ofSeconds(10));
      assertThat(dead)
          .extracting(r -> r.headers().get("__connect.errors.topic"))
          .containsOnly(topic);
      assertThat(dead)
          .extracting(r -> r.headers().get("__connect.errors.offset"))
          .containsExactly("10", "11", "12");
      assertThat(dead.get(0).value()).isEqualTo("this is not json");
      assertThat(dead.get(0).headers().get("__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
      assertThat(dead.get(1).headers().get("__connect.errors.stage")).isEqualTo("TASK_PUT");
      assertThat(dead.get(1).headers().get("__connect.errors.exception.message"))
          .contains("not a Struct");
      assertThat(dead.get(2).headers().get("__connect.errors.exception.message"))
          .contains("topic 'dlq.items' partition 0 offset 12")
          .contains("_cq_id");
      assertThat(
              SinkDatabases.query(
                  sqlite, "SELECT min(id), max(id), count(DISTINCT id) FROM \"" + topic + "\""))
          .containsExactly(List.of(1L, 20L, 20L));
    }
  }

  @Test
  void shouldCommitPastBadRecordsThatEndThePartition() throws Exception {
    String topic = "dlq.tail";
    String dlq = "dlq.tail.dead";
    Path db = Files.createTempDirectory("sink-dlq-tail").resolve("tail.db");
    harness.cluster().configureConnector("dlq-tail-sink", sinkWithDlq(topic, dlq, db));

    try (SinkKafka kafka = new SinkKafka(harness.cluster().kafka().bootstrapServers())) {
      for (long id = 1; id <= 3; id++) {
        kafka.row(topic, id, "row-" + id);
      }
      // The converter cannot read these: Connect sends them to the DLQ and never hands them to
      // put, and no record follows them.
      kafka.send(topic, null, "not json".getBytes(StandardCharsets.UTF_8));
      kafka.send(topic, null, "not json either".getBytes(StandardCharsets.UTF_8));

      SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
      await().atMost(Duration.ofSeconds(90)).until(() -> SinkDatabases.count(sqlite, topic) == 3);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> kafka.readAll(dlq, Duration.ofSeconds(5)).size() == 2);
      long end = harness.endOffset(topic);
      assertThat(end).isEqualTo(5);

      // Consumer lag reaches 0: the committed offset is the topic's end, not the last row's.
      await("offset " + end + " committed")
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> committed("dlq-tail-sink", topic) == end);
    }
  }

  /**
   * Creates {@code topic} (one partition) and returns a SQLite sink of it in overwrite mode that
   * tolerates errors and sends them to {@code dlq}.
   */
  private Map<String, String> sinkWithDlq(String topic, String dlq, Path db) {
    harness.cluster().kafka().createTopic(topic, 1);
    Map<String, String> sink =
        SinkConnectors.forFixture(
            Fixtures.DEST_SQLITE, SinkDatabases.sqliteSpec(db), topic, "overwrite");
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", dlq);
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    return sink;
  }

  /** The sink's committed offset of partition 0 of {@code topic} (GET .../offsets), or -1. */
  private long committed(String connector, String topic) {
    return harness.cluster().connectorOffsets(connector).offsets().stream()
        .filter(o -> topic.equals(o.partition().get("kafka_topic")))
        .mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue())
        .findFirst()
        .orElse(-1L);
  }
}
