package io.cqconnect.source;

import io.cqconnect.config.RecordFormat;
import io.cqconnect.config.SourceTaskConfig;
import io.cqconnect.connector.ConfiguredPlugins;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one CloudQuery source plugin: a named sync thread ({@link SyncRunner}) reads the plugin's
 * {@code Sync} stream into a bounded queue, {@link #poll} drains it into the {@link SyncCommitter},
 * which returns the records and commits each sync's cursors as Connect offsets once Kafka holds the
 * rows they cover.
 *
 * <p>Threads: Connect's task thread calls {@code start} and {@code poll}; {@code stop} usually
 * comes from another worker thread while a {@code poll} may still run; the producer's callback
 * thread calls {@code commitRecord}; the sync thread is ours.
 */
public class CloudQuerySourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(CloudQuerySourceTask.class);
  // Short, as the committer checks a sync waiting for its offset flush once per poll.
  private static final long EMPTY_POLL_WAIT_MS = 100;

  // While an ended sync waits for acks (its rows', then its markers'), which come within
  // milliseconds: the markers go out, and the sync is handed over, without a 100 ms wait each.
  private static final long ACK_POLL_WAIT_MS = 5;
  private static final Duration STOP_JOIN = Duration.ofSeconds(30);

  private BufferAllocator allocator;
  private SourceMetrics metrics;
  private BlockingQueue<SyncEvent> queue;
  private RecordBuilder records;
  private SyncCommitter committer;
  private MirrorWriter mirror;
  private SyncRunner runner;
  private Thread thread;
  private int maxRecords;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    SourceTaskConfig config = new SourceTaskConfig(props);
    SyncSettings settings = SyncSettings.from(config);
    String connector = props.getOrDefault("name", settings.source());
    int task = config.taskId();
    TransactionContext transactions = context.transactionContext();
    allocator = new RootAllocator();
    metrics = new SourceMetrics(connector, task);
    mirror =
        new MirrorWriter(
            StateMirrors.opener(config),
            config.stateMirrorRetry(),
            metrics,
            "cq-source-" + connector + "-" + task + "-mirror");
    CursorState cursors = new CursorState();
    if (settings.keepsState()) {
      StateLoader loader =
          new StateLoader(settings.source(), settings.stateTable(), context.offsetStorageReader());
      StateLoader.Loaded loaded = loader.load(mirror);
      if (!loaded.adopted().isEmpty() && !config.stateMirrorAdoptNewer()) {
        stop(); // releases what start opened so far; Connect may not call stop after this
        throw new ConnectException(
            "Source '"
                + settings.source()
                + "': the mirrored state table '"
                + settings.stateTable()
                + "' is ahead of Connect's offsets for "
                + loaded.adopted().size()
                + " cursor key(s): "
                + String.join(
                    "; ", loaded.adopted().stream().map(StateLoader.Adoption::describe).toList())
                + ". state.mirror.adopt.newer=false refuses to start from them. If the CloudQuery"
                + " CLI synced this source, set it to true; otherwise check that state.mirror.*"
                + " names the right database and that no other source uses this state table.");
      }
      metrics.stateKeysAdopted(loaded.adopted().size());
      cursors.merge(loaded.rows());
      mirror.submit(loaded.tableBehind());
    }
    queue = new ArrayBlockingQueue<>(config.queueMaxMessages());
    maxRecords = config.pollMaxRecords();
    records =
        new RecordBuilder(
            settings.rowSource(),
            new TopicNamer(config.topicPrefix(), config.topicRenames()),
            allocator.newChildAllocator("sync", 0, Long.MAX_VALUE),
            settings.timestampPrecision());
    CommitRecords commits =
        new CommitRecords(
            settings.source(),
            settings.stateTable(),
            config.stateTopic(),
            task,
            config.syncMarkers(),
            cursors.keys());
    if (config.recordFormat() == RecordFormat.ARROW) {
      // Bytes values only, so that ByteArrayConverter takes every record of the connector.
      records.writingArrowBatches();
      commits.withBytesValues();
    }
    ScheduleOffset.Last last = ScheduleOffset.Last.NONE;
    if (settings.recordsSchedule()) {
      commits.recordingSchedule(settings.scheduleScope());
      last =
          ScheduleOffset.last(
              context.offsetStorageReader(), settings.source(), task, settings.scheduleScope());
    }
    committer =
        new SyncCommitter(
            settings.source(),
            commits,
            records,
            transactions,
            new DurableOffsets(
                settings.source(), settings.stateTable(), task, context.offsetStorageReader()),
            cursors,
            mirror,
            metrics);
    metrics.gauge("queue-size", "Plugin messages waiting for poll()", queue::size);
    metrics.gauge(
        "records-unacknowledged",
        "Records sent but not yet acknowledged by Kafka",
        committer::outstanding);
    metrics.gauge("state-keys", "Cursor keys held as committed", cursors::size);
    runner =
        new SyncRunner(
                settings,
                () -> ConfiguredPlugins.open(config, settings.source(), false),
                capture -> StateEndpointServer.start(capture, config.stateEndpointHost()),
                records,
                cursors,
                queue,
                metrics,
                Clock.systemUTC())
            .startAfter(settings.schedule().repeats() ? last.started() : null)
            .fullRefreshedAt(last.fullRefresh());
    thread = new Thread(runner, "cq-source-" + connector + "-" + task + "-sync");
    thread.setDaemon(true);
    thread.start();
    log.info(
        "Started task {} of source '{}' ({} cursor keys loaded, exactly-once transactions: {})",
        task,
        settings.source(),
        cursors.size(),
        transactions != null);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    List<SourceRecord> batch = new ArrayList<>();
    SyncEvent event =
        queue.poll(
            committer.awaitingAcks() ? ACK_POLL_WAIT_MS : EMPTY_POLL_WAIT_MS,
            TimeUnit.MILLISECONDS);
    while (event != null && committer.accept(event, batch) && batch.size() < maxRecords) {
      event = queue.poll();
    }
    committer.commitReady(batch);
    return batch.isEmpty() ? null : batch;
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    committer.acked(record);
  }

  /** Stops the sync thread, then closes what it used; never throws. */
  @Override
  public void stop() {
    long started = System.nanoTime();
    boolean syncThreadEnded = true;
    if (runner != null) {
      runner.stop();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(STOP_JOIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      syncThreadEnded = !thread.isAlive();
    }
    closeQuietly(mirror);
    closeQuietly(metrics);
    if (syncThreadEnded) {
      closeQuietly(records);
      closeQuietly(allocator);
    } else {
      // Closing the allocators under a thread that may still decode would fail it mid-batch; the
      // JVM reclaims them with the thread.
      log.warn(
          "Sync thread '{}' is still running after the stop request (waited up to {} s; a plugin"
              + " call that does not return?); leaving it and its Arrow allocators behind. Its"
              + " stack:\n{}",
          thread.getName(),
          STOP_JOIN.toSeconds(),
          stackOf(thread));
    }
    log.info(
        "Stopped source task in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static String stackOf(Thread thread) {
    StringBuilder stack = new StringBuilder();
    for (StackTraceElement frame : thread.getStackTrace()) {
      stack.append("\tat ").append(frame).append('\n');
    }
    return stack.toString();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("Closing {} failed", closeable.getClass().getSimpleName(), e);
    }
  }
}
