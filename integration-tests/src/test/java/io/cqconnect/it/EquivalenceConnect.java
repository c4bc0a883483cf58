package io.cqconnect.it;

import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The Connect side of one {@link EquivalenceCase} in one record format: a source connector → Kafka
 * → sink connector pipeline with its own connectors, topics ({@code <id>.<table>}) and destination
 * database ({@link #database()}), so that the pipelines of several formats run side by side on one
 * cluster and are each compared with the same CLI result.
 */
final class EquivalenceConnect {

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);

  /**
   * Between two reads of a topic or of the sink's offsets: each read opens a consumer or an admin
   * client, which costs CPU that the plugins and the worker share on a small machine. The first
   * read is at once (a table that ended before another needs no wait).
   */
  private static final Duration POLL = Duration.ofMillis(250);

  private final ConnectHarness harness;
  private final EquivalenceCase c;
  private final EquivalenceRun.Target target;
  private final EquivalenceRun.Format format;
  private final String id;
  private final String prefix;
  private final List<String> topics;

  EquivalenceConnect(
      ConnectHarness harness,
      EquivalenceCase c,
      EquivalenceRun.Target target,
      String caseId,
      EquivalenceRun.Format format) {
    this.harness = harness;
    this.c = c;
    this.target = target;
    this.format = format;
    this.id = caseId + "-" + format.name();
    this.prefix = id + ".";
    this.topics = c.tables().stream().map(t -> prefix + t).toList();
  }

  /** Connector and topic names of this side: {@code <case>-<destination>-<format>}. */
  String id() {
    return id;
  }

  EquivalenceRun.Format format() {
    return format;
  }

  /** The name of this side's database in {@link EquivalenceRun.Target}. */
  String database() {
    return "connect_" + format.name();
  }

  void createTopics() {
    for (String topic : topics) {
      harness.cluster().kafka().createTopic(topic, 1);
    }
  }

  /**
   * The connector requests that start sync {@code sync} with {@code pluginSpec}, independent of
   * each other (each PUT waits for Connect's validation, which launches the plugin): the source's
   * config (and a restart when the spec is the previous sync's), and the sink's on the first sync.
   */
  List<Runnable> startSync(String pluginSpec, int sync) {
    List<Runnable> requests = new java.util.ArrayList<>();
    requests.add(() -> configureSource(pluginSpec, sync));
    if (sync == 1) {
      requests.add(this::configureSink);
    }
    return requests;
  }

  private void configureSource(String pluginSpec, int sync) {
    Map<String, String> source = sourceConnector(pluginSpec);
    source.putAll(format.converters());
    source.putAll(format.sourceOnly());
    harness.cluster().configureConnector(id + "-source", source);
    if (sync > 1 && pluginSpec.equals(c.specs().get(sync - 2))) {
      // The same config does not restart the task; a restart starts the next sync.
      harness.cluster().restartConnectorAndTasks(id + "-source", false, true, false);
    }
  }

  private void configureSink() {
    Map<String, String> sink =
        SinkConnectors.forFixture(
            target.plugin(), target.spec(database()), String.join(",", topics), c.writeMode());
    sink.put("batch.timeout.ms", "300");
    sink.putAll(format.converters());
    sink.putAll(format.sinkOnly());
    harness.cluster().configureConnector(id + "-sink", sink);
  }

  /** Waits until every table's end-of-sync marker of {@code sync} is in and the sink committed. */
  void awaitSync(int sync) {
    // One marker per table and sync from each task (each shard announces every table).
    int expectedMarkers = sync * Math.max(1, c.shards());
    for (String topic : topics) {
      await("sync " + sync + " of " + id + " ended on " + topic)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .atMost(SYNC_TIMEOUT)
          .until(() -> harness.syncEnds(topic) >= expectedMarkers);
    }
    await("the sink of " + id + " committed everything of sync " + sync)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(SYNC_TIMEOUT)
        .until(() -> sinkCaughtUp("connect-" + id + "-sink"));
  }

  /**
   * Requests that remove this side's connectors, if they were created, without hiding the case's
   * outcome; independent of each other (each DELETE waits until Connect stopped the connector).
   */
  List<Runnable> deleteConnectors() {
    return List.of(() -> deleteQuietly(id + "-source"), () -> deleteQuietly(id + "-sink"));
  }

  private void deleteQuietly(String connector) {
    try {
      harness.cluster().deleteConnector(connector);
    } catch (RuntimeException e) {
      System.out.printf("could not delete connector %s: %s%n", connector, e.getMessage());
    }
  }

  private boolean sinkCaughtUp(String group) throws InterruptedException, ExecutionException {
    try (Admin admin = harness.cluster().kafka().createAdminClient()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      topics.forEach(t -> latest.put(new TopicPartition(t, 0), OffsetSpec.latest()));
      Map<TopicPartition, Long> end =
          admin.listOffsets(latest).all().get().entrySet().stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      // Also with a sink tolerating errors, whose converter may drop the end-of-sync marker that
      // ends each topic (ExtJsonConverter cannot read a null value): the sink commits past
      // records Connect dropped before put.
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        OffsetAndMetadata at = committed.get(e.getKey());
        if (e.getValue() > 0 && (at == null || at.offset() < e.getValue())) {
          return false;
        }
      }
      return true;
    }
  }

  private Map<String, String> sourceConnector(String pluginSpec) {
    Map<String, String> props = SourceConnectors.forFixture(id, c.plugin(), pluginSpec);
    props.put("source.name", EquivalenceRun.SOURCE_NAME);
    props.put("topic.prefix", prefix);
    // CloudQuery's timestamps are microseconds; Connect's Timestamp type keeps milliseconds.
    props.put("timestamp.precision", "exact");
    if (c.stateTable() != null) {
      // Cursors in Connect offsets, mirrored into this side's database by the same destination
      // plugin, as the CLI keeps them in its database.
      props.put("state.table.name", c.stateTable());
      props.put("state.mirror.path", Fixtures.binary(target.plugin()).toString());
      props.put("state.mirror.spec", target.spec(database()));
      props.put("state.mirror.args", "--no-sentry");
    }
    props.putAll(c.sourceConnector());
    return props;
  }
}
