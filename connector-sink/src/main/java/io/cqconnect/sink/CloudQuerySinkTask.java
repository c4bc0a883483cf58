package io.cqconnect.sink;

import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.config.SinkConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kafka records to a CloudQuery destination plugin: the task's lifecycle, and the wiring of
 * the pieces that do the work.
 *
 * <p>Contract with the Connect runtime (all calls on the task thread): {@code put} hands each
 * record to the {@link RecordRouter}, which converts and queues what it asks of the destination,
 * and streams the queue on an open {@code Write}; when a table reaches {@code batch.max.rows} /
 * {@code batch.max.bytes} or the oldest queued row is {@code batch.timeout.ms} old, the stream is
 * half-closed and its answer collected in the background while the next batch is converted ({@link
 * WritePipeline}); a sync-end marker (delete-stale) and every {@code preCommit} wait for
 * everything. {@code preCommit} never returns offsets of queued rows: for a partition with nothing
 * waiting for a write it returns Connect's position (which includes records Connect dropped before
 * {@code put}), unless the task asked Connect to rewind it and Connect has not yet; otherwise the
 * offset an answered stream confirmed ({@link OffsetTracker}); records of such a partition that
 * Connect hands over before its seek (fetched past the rewound ones) are skipped, since they come
 * again after it. A failed stream is replayed in full on a new one: transport failures become
 * {@link RetriableException} after {@code context.timeout(retry.backoff.ms)}, at most {@code
 * retry.max} times in a row ({@link WriteRetries}); the plugin is started again if its process
 * died. Records that cannot be converted go to the errant record reporter when configured, else
 * fail the task naming topic, partition, offset and field ({@link ErrantRecords}).
 */
public class CloudQuerySinkTask extends SinkTask {

  /** Task-only key the connector adds: the task's number, used as a metrics tag. */
  public static final String TASK_ID_CONFIG = "task.id";

  private static final Logger log = LoggerFactory.getLogger(CloudQuerySinkTask.class);

  private String label;
  private RootAllocator rootAllocator;
  private BufferAllocator encodeAllocator;
  private BufferAllocator deleteAllocator;
  private RowBatcher batcher;
  private ArrowBatches arrowBatches;
  private SinkMetrics metrics;
  private DestinationPlugin plugin;
  private WritePipeline pipeline;
  private WriteRetries retries;
  private RecordRouter router;
  private final WriteBuffer buffer = new WriteBuffer();
  private final OffsetTracker offsets = new OffsetTracker();
  private boolean stopped;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    SinkConfig config = new SinkConfig(props);
    String connector =
        config.connectorName().isEmpty() ? "cloudquery-sink" : config.connectorName();
    int task = parseTaskId(props.get(TASK_ID_CONFIG));
    label = connector + "-" + task;
    String prefix = "cq-sink-" + label; // names the Arrow allocators and the plugin connection
    metrics = new SinkMetrics(connector, task);
    rootAllocator = new RootAllocator();
    encodeAllocator = rootAllocator.newChildAllocator(prefix + "-encode", 0, Long.MAX_VALUE);
    deleteAllocator = rootAllocator.newChildAllocator(prefix + "-delete", 0, Long.MAX_VALUE);
    ConnectToArrow converter = new ConnectToArrow();
    TableShapes shapes = new TableShapes(config.writeMode(), config.pkMode(), converter);
    ErrantRecords errant = new ErrantRecords(context, metrics::sentToDlq);
    RowBatcher.Limits limits =
        new RowBatcher.Limits(
            config.batchMaxRows(), config.batchMaxBytes(), config.grpcMaxMessageBytes());
    batcher =
        new RowBatcher(
            converter,
            encodeAllocator,
            limits,
            errant,
            insert -> buffer.add(insert, System.nanoTime()));
    arrowBatches = new ArrowBatches(shapes, encodeAllocator, limits);
    plugin = new DestinationPlugin(config, prefix, metrics::pluginRestarted);
    pipeline = new WritePipeline(config, label, plugin, buffer, offsets, metrics);
    retries = new WriteRetries(config, label, context, plugin, pipeline, metrics);
    router =
        new RecordRouter(
            config,
            label,
            shapes,
            batcher,
            arrowBatches,
            new DeletePredicates(converter, deleteAllocator),
            errant,
            buffer,
            pipeline,
            plugin,
            retries,
            metrics);
    // Open now, so a bad plugin path or spec fails the task at once with the plugin's message.
    plugin.client();
    log.info(
        "sink task {} started: write.mode={}, migrate.mode={}, pk.mode={}, errant records to {}",
        label,
        config.writeMode(),
        config.migrateMode(),
        config.pkMode(),
        errant.hasReporter() ? "the errant record reporter" : "a task failure");
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    offsets.putStarting();
    for (SinkRecord record : records) {
      if (offsets.seen(record)) {
        continue; // redelivered after a retriable failure: still queued here
      }
      if (offsets.fetchedBeforeRewind(record)) {
        continue; // Connect delivers it again after the seek it has not applied yet
      }
      router.handle(record);
      // Registered only once handled: a record whose handling failed is handled again when
      // Connect delivers it again, and no offset is confirmed before its record is queued.
      offsets.accept(record);
    }
    batcher.sealAll();
    retries.write(false);
    Duration due = pipeline.untilDue();
    if (due != null) {
      // Make Connect call put again (possibly with nothing) when the batch timeout is due.
      context.timeout(Math.max(1, due.toMillis()));
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    try {
      retries.write(true);
    } catch (RetriableException e) {
      log.info("sink task {}: flush before commit failed, will retry: {}", label, e.getMessage());
    } catch (RuntimeException e) {
      // The next put repeats the flush and fails the task with this error.
      log.error("sink task {}: flush before commit failed: {}", label, e.getMessage());
    }
    return offsets.committable(currentOffsets);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    offsets.forget(partitions);
    // The worker seeks to every rewind asked so far right after open, before the consumer returns
    // records (a close and an open in one poll: partitions revoked and others assigned).
    offsets.rewindsApplied();
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    if (offsets.hasUnconfirmed() || !buffer.isEmpty()) {
      try {
        retries.write(true);
      } catch (RuntimeException e) {
        log.warn(
            "sink task {}: could not write the queued records before partitions {} were closed;"
                + " they will be consumed again: {}",
            label,
            partitions,
            e.getMessage());
        discard(partitions);
      }
    }
    offsets.forget(partitions);
  }

  /** Drops everything queued and rewinds the partitions this task keeps to the first dropped. */
  private void discard(Collection<TopicPartition> closing) {
    pipeline.discard("records discarded");
    batcher.clear();
    retries.reset();
    Set<TopicPartition> closed = new HashSet<>(closing);
    offsets
        .rewind()
        .forEach(
            (partition, offset) -> {
              if (!closed.contains(partition)) {
                context.offset(partition, offset); // closed ones are forgotten by close
              }
            });
  }

  /**
   * Visible for testing: the id of the destination plugin process this task launched, so a test can
   * kill exactly that process; empty when the plugin is dialled or not open.
   */
  OptionalLong pluginPid() {
    return plugin == null ? OptionalLong.empty() : plugin.pid();
  }

  @Override
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long start = System.nanoTime();
    if (pipeline != null) {
      pipeline.close();
    }
    if (plugin != null) {
      plugin.close();
    }
    if (arrowBatches != null) {
      arrowBatches.close();
    }
    closeAllocator(deleteAllocator);
    closeAllocator(encodeAllocator);
    closeAllocator(rootAllocator);
    if (metrics != null) {
      metrics.close();
    }
    log.info(
        "sink task {} stopped in {} ms",
        label,
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static void closeAllocator(BufferAllocator allocator) {
    if (allocator == null) {
      return;
    }
    try {
      allocator.close();
    } catch (RuntimeException e) {
      log.warn("closing Arrow allocator {}: {}", allocator.getName(), e.getMessage());
    }
  }

  private static int parseTaskId(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
