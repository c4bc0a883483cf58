package io.cqconnect.source;

import io.cqconnect.config.SourceTaskConfig;
import io.cqconnect.connector.ConfiguredPlugins;
import io.cqconnect.state.StateRow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Runs one CloudQuery source plugin: a named sync thread reads the plugin's {@code Sync} stream
 * into a bounded queue, {@link #poll} drains it, and cursors the plugin writes are committed as
 * Connect offsets through the {@link CommitBarrier} once Kafka holds the rows they cover.
 *
 * <p>Threads: Connect's task thread calls {@code start}, {@code poll} and {@code stop}; the
 * producer's callback thread calls {@code commitRecord}; the sync thread is ours.
 */
public class CloudQuerySourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(CloudQuerySourceTask.class);
  private static final long EMPTY_POLL_WAIT_MS = 200;

  private SourceTaskConfig config;
  private SyncSettings settings;
  private BufferAllocator allocator;
  private SourceMetrics metrics;
  private CommitBarrier barrier;
  private CursorState cursors;
  private BlockingQueue<SyncEvent> queue;
  private RecordBuilder records;
  private CommitRecords commits;
  private MirrorWriter mirror;
  private DurableOffsets durable;
  private volatile boolean stopping;
  private SyncRunner runner;
  private Thread thread;
  private TransactionContext transactions;
  private int maxRecords;
  private final Map<Long, SyncEvent.Ended> ended = new HashMap<>();

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new SourceTaskConfig(props);
    settings = SyncSettings.from(config);
    String connector = props.getOrDefault("name", settings.source());
    int task = config.taskId();
    transactions = context.transactionContext();
    allocator = new RootAllocator();
    metrics = new SourceMetrics(connector, task);
    barrier = new CommitBarrier(transactions == null);
    cursors = new CursorState();
    mirror =
        new MirrorWriter(
            StateMirrors.opener(config),
            config.stateMirrorRetry(),
            metrics,
            "cq-source-" + connector + "-" + task + "-mirror");
    durable =
        new DurableOffsets(
            settings.source(),
            settings.stateTable(),
            task,
            context.offsetStorageReader(),
            Duration.ofMillis(100));
    if (settings.keepsState()) {
      StateLoader loader =
          new StateLoader(settings.source(), settings.stateTable(), context.offsetStorageReader());
      StateLoader.Loaded loaded = loader.load(mirror);
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
    commits =
        new CommitRecords(
            settings.source(),
            settings.stateTable(),
            config.stateTopic(),
            task,
            config.syncMarkers(),
            cursors.keys());
    metrics.gauge("queue-size", "Plugin messages waiting for poll()", queue::size);
    metrics.gauge(
        "records-unacknowledged",
        "Records sent but not yet acknowledged by Kafka",
        barrier::outstanding);
    metrics.gauge("state-keys", "Cursor keys held as committed", cursors::size);
    runner =
        new SyncRunner(
            settings,
            () -> ConfiguredPlugins.open(config, settings.source(), false),
            capture -> StateEndpointServer.start(capture, config.stateEndpointHost()),
            records,
            barrier,
            cursors,
            queue,
            metrics,
            Clock.systemUTC(),
            this::committed);
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
    SyncEvent event = queue.poll(EMPTY_POLL_WAIT_MS, TimeUnit.MILLISECONDS);
    while (event != null) {
      if (!handle(event, batch) || batch.size() >= maxRecords) {
        break;
      }
      event = queue.poll();
    }
    for (CommitBarrier.Ready ready : barrier.readyToCommit()) {
      SyncEvent.Ended end = ended.remove(ready.generation());
      List<SyncRecord> commit = commits.forSync(ready.generation(), end, ready.pending(), records);
      if (commit.isEmpty() && transactions != null) {
        // The sync's rows sit in an open transaction that must still be committed.
        commit = List.of(commits.transactionMarker(ready.generation(), "synced"));
      }
      if (commit.isEmpty()) {
        barrier.committedWithoutRecords(ready.generation());
        continue;
      }
      commit.forEach(barrier::emitted);
      batch.addAll(commit);
      if (transactions != null) {
        transactions.commitTransaction(commit.get(commit.size() - 1));
      }
    }
    return batch.isEmpty() ? null : batch;
  }

  /** Adds the event's records to the batch; false when the batch must be returned now. */
  private boolean handle(SyncEvent event, List<SourceRecord> batch) {
    if (event instanceof SyncEvent.Records r) {
      for (SyncRecord record : r.records()) {
        barrier.emitted(record);
        batch.add(record);
      }
    } else if (event instanceof SyncEvent.Ended e) {
      ended.put(e.generation(), e);
      barrier.end(e.generation(), e.pending());
    } else if (event instanceof SyncEvent.Aborted a) {
      ended.remove(a.generation());
      if (transactions != null) {
        // The failed sync's rows are in the open transaction: abort it, the retry sends them
        // again. The marker closes the aborted transaction even when this batch has no rows.
        SyncRecord marker = commits.transactionMarker(a.generation(), "aborted");
        batch.add(marker);
        transactions.abortTransaction(marker);
        return false;
      }
    } else if (event instanceof SyncEvent.Failed f) {
      throw f.cause() instanceof ConnectException ce ? ce : new ConnectException(f.cause());
    }
    return true;
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    if (record instanceof SyncRecord r) {
      barrier.acked(r);
    }
  }

  /**
   * A sync's cursors are in Kafka (called on the sync thread): once the worker has written them to
   * its offset store (so a crash cannot lose them and re-fetch more than the next sync), mirror
   * them; the next sync starts after this returns.
   */
  private void committed(List<StateRow> rows) {
    if (!rows.isEmpty()) {
      try {
        if (!durable.await(rows, () -> !stopping)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      metrics.stateKeysCommitted(rows.size());
      mirror.submit(rows);
    }
  }

  @Override
  public void stop() {
    long started = System.nanoTime();
    stopping = true;
    if (runner != null) {
      runner.stop();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly(mirror);
    closeQuietly(metrics);
    if (records != null) {
      records.close();
    }
    closeQuietly(allocator);
    log.info(
        "Stopped source task in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
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
