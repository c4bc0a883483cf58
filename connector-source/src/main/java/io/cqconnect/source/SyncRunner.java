package io.cqconnect.source;

import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.GrpcErrors;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.state.StateRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's sync thread: connects to the plugin, runs {@code Sync} after {@code Sync}, and hands
 * decoded records to {@code poll()} through a bounded queue (when the queue is full this thread
 * stops reading and gRPC flow control holds the plugin).
 *
 * <p>Contract with the poll thread: each generation {@code g} is queued as {@link
 * SyncEvent.Started}, its records, then {@link SyncEvent.Ended} or {@link SyncEvent.Aborted};
 * generation {@code g + 1} starts only after {@code g} was aborted or its {@code committed} future
 * completed, which the {@link SyncCommitter} does once {@code g}'s cursors are in Connect's offset
 * store and handed to the mirror. So at most one sync is ever unfinished, and this thread touches
 * no commit state. A failed sync restarts the plugin with exponential backoff; after {@code
 * maxRestarts} failures in a row, or at once on a failure that restarting cannot fix (see {@link
 * PermanentFailures}), a {@link SyncEvent.Failed} is queued and the thread ends.
 */
final class SyncRunner implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
  private static final Duration POLL_STREAM = Duration.ofMillis(500);

  /** Opens a connected, initialised plugin. */
  interface PluginOpener {
    PluginConnection open() throws InterruptedException;
  }

  /** Starts the state endpoint one sync's plugin writes its cursors to. */
  interface StateEndpoints {
    StateEndpoint start(SyncStateCapture capture);
  }

  /** A running state endpoint. */
  interface StateEndpoint extends AutoCloseable {
    String target();

    @Override
    void close();
  }

  private final SyncSettings settings;
  private final PluginOpener opener;
  private final StateEndpoints endpoints;
  private final RecordBuilder records;
  private final CursorState cursors;
  private final BlockingQueue<SyncEvent> queue;
  private final SourceMetrics metrics;
  private final Clock clock;
  private final PermanentFailures permanent = new PermanentFailures();

  private volatile boolean running = true;
  private volatile SyncStream stream;
  private PluginConnection plugin;
  private Instant lastStart;
  private Instant lastFullRefresh;

  SyncRunner(
      SyncSettings settings,
      PluginOpener opener,
      StateEndpoints endpoints,
      RecordBuilder records,
      CursorState cursors,
      BlockingQueue<SyncEvent> queue,
      SourceMetrics metrics,
      Clock clock) {
    this.settings = settings;
    this.opener = opener;
    this.endpoints = endpoints;
    this.records = records;
    this.cursors = cursors;
    this.queue = queue;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // An Error too (a class missing after the plugin's jar was replaced, out of memory): left
      // uncaught it would end this thread silently and the task would stay RUNNING without syncs.
      log.error("Sync thread of source '{}' failed", settings.source(), e);
      RuntimeException cause =
          e instanceof RuntimeException re
              ? re
              : new ConnectException(
                  "Sync thread of source '" + settings.source() + "' died: " + e, e);
      try {
        queue.put(new SyncEvent.Failed(cause));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      closePlugin();
    }
  }

  /** Asks the thread to end: cancels the current stream; the caller interrupts and joins. */
  void stop() {
    running = false;
    SyncStream current = stream;
    if (current != null) {
      current.cancel("task stopping");
    }
  }

  /**
   * The start of the task's last committed sync, read from the offsets (null: none known): the
   * first sync waits until the schedule's next start after it. Call before {@link #run}.
   */
  SyncRunner startAfter(Instant lastStart) {
    this.lastStart = lastStart;
    return this;
  }

  /**
   * The start of the task's last committed full refresh, read from the offsets (null: none known,
   * so the first sync is one when {@code incremental.full.refresh.interval.ms} is set). Call before
   * {@link #run}.
   */
  SyncRunner fullRefreshedAt(Instant lastFullRefresh) {
    this.lastFullRefresh = lastFullRefresh;
    return this;
  }

  /** Whether the sync starting at {@code started} reads the incremental tables from scratch. */
  boolean isFullRefresh(Instant started) {
    return settings.keepsState() && settings.fullRefresh().due(lastFullRefresh, started);
  }

  private void loop() throws InterruptedException {
    SyncSchedule schedule = settings.schedule();
    Instant due = schedule.first(lastStart, clock.instant());
    if (lastStart != null && due != null && due.isAfter(clock.instant())) {
      log.info(
          "Source '{}': its last sync started at {}, so the first sync of this task waits until"
              + " {} ({})",
          settings.source(),
          lastStart,
          due,
          schedule);
    }
    if (!waitUntil(due, schedule)) {
      return;
    }
    long generation = 0;
    int failures = 0;
    while (running) {
      generation++;
      Instant started = clock.instant();
      CompletableFuture<Void> committed = new CompletableFuture<>();
      queue.put(new SyncEvent.Started(generation, committed));
      boolean fullRefresh = isFullRefresh(started);
      try {
        syncOnce(generation, started, fullRefresh);
        failures = 0;
        permanent.reset();
      } catch (InterruptedException e) {
        throw e;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        failures++;
        // opener.open() assigns the plugin only once it is initialised: no plugin means the
        // failure came from starting it or from Init.
        boolean atInit = plugin == null;
        queue.put(new SyncEvent.Aborted(generation, e));
        metrics.syncFailed();
        List<String> logs = plugin == null ? List.of() : plugin.recentLogs();
        closePlugin();
        String unfixable = permanent.check(e, atInit);
        if (unfixable != null) {
          throw new ConnectException(permanentMessage(e, unfixable, logs), e);
        }
        if (failures > settings.maxRestarts() || !GrpcErrors.isRetriable(e) && !isSyncError(e)) {
          throw new ConnectException(failureMessage(e, failures, logs), e);
        }
        Duration wait = settings.backoff(failures);
        log.warn(
            "Sync {} of source '{}' failed (attempt {} of {}), restarting the plugin in {} ms: {}",
            generation,
            settings.source(),
            failures,
            settings.maxRestarts() + 1,
            wait.toMillis(),
            e.getMessage());
        metrics.pluginRestarted();
        sleep(wait);
        continue;
      }
      if (!awaitCommit(generation, committed)) {
        return;
      }
      metrics.syncCompleted(Duration.between(started, clock.instant()));
      if (fullRefresh) {
        lastFullRefresh = started;
        metrics.fullRefreshed();
      }
      // A sync that woke a little before its due time still counts as the one due then.
      SyncSchedule.Next next =
          schedule.next(due != null && started.isBefore(due) ? due : started, clock.instant());
      if (next == null) {
        log.info(
            "Source '{}' finished its sync; {} plans no other, so the task now idles",
            settings.source(),
            schedule);
        closePlugin();
        return;
      }
      if (next.skipped() > 0) {
        log.warn(
            "Source '{}': the sync that started at {} ran past {} fire time(s) of {}; they are"
                + " skipped (syncs of a source never overlap), the next sync starts at {}",
            settings.source(),
            started,
            next.skipped(),
            schedule,
            next.at());
        metrics.syncsSkipped(next.skipped());
      }
      due = next.at();
      if (!waitUntil(due, schedule)) {
        return;
      }
    }
  }

  /**
   * Waits until {@code due}, publishing it as the next sync time; false when the task stops first
   * or {@code due} is null (the schedule has no future start: the task idles).
   */
  private boolean waitUntil(Instant due, SyncSchedule schedule) throws InterruptedException {
    if (due == null) {
      log.info(
          "Source '{}': {} has no future fire time, so the task idles",
          settings.source(),
          schedule);
      return false;
    }
    Duration wait = Duration.between(clock.instant(), due);
    if (wait.isNegative() || wait.isZero()) {
      return running;
    }
    metrics.nextSync(due);
    try {
      sleep(wait);
    } finally {
      metrics.nextSync(null);
    }
    return running;
  }

  private void syncOnce(long generation, Instant started, boolean fullRefresh)
      throws InterruptedException {
    if (plugin == null) {
      plugin = opener.open();
    }
    String syncTime = SyncHeaders.syncTime(started);
    SyncStateCapture capture =
        settings.keepsState()
            ? new SyncStateCapture(settings.stateTable(), cursors.snapshot(), fullRefresh)
            : null;
    if (fullRefresh) {
      log.info(
          "Sync {} of source '{}' is a full refresh ({}; last one {}): the plugin reads its"
              + " incremental tables from scratch and their markers carry delete-stale",
          generation,
          settings.source(),
          settings.fullRefresh(),
          lastFullRefresh == null ? "not known" : lastFullRefresh);
    }
    Set<String> synced = new LinkedHashSet<>();
    try (StateEndpoint endpoint = capture == null ? null : endpoints.start(capture)) {
      SyncStream current = plugin.client().sync(request(endpoint));
      stream = current;
      log.info(
          "Sync {} of source '{}' started (tables {}, state {})",
          generation,
          settings.source(),
          settings.tables(),
          endpoint == null ? "off" : settings.stateTable() + " at " + endpoint.target());
      while (true) {
        Sync.Response message = current.poll(POLL_STREAM);
        if (message == null) {
          // A stream cancelled by stop() also reads as finished: checked first, so the cursors an
          // interrupted sync flushed are never handed on as those of an ended sync.
          if (!running) {
            throw new CancellationException("task stopping");
          }
          if (current.isFinished()) {
            break;
          }
          continue;
        }
        handle(generation, syncTime, message, synced);
      }
      List<StateRow> pending = capture == null ? List.of() : capture.seal();
      queue.put(
          new SyncEvent.Ended(
              generation,
              started,
              synced,
              pending,
              fullRefresh,
              fullRefresh ? started : lastFullRefresh));
      log.info(
          "Sync {} of source '{}' ended: {} tables, {} cursor keys written",
          generation,
          settings.source(),
          synced.size(),
          pending.size());
    } finally {
      stream = null;
    }
  }

  private void handle(long generation, String syncTime, Sync.Response message, Set<String> synced)
      throws InterruptedException {
    switch (message.getMessageCase()) {
      case MIGRATE_TABLE -> {
        CqTable table = records.migrate(message.getMigrateTable());
        synced.add(table.name());
      }
      case INSERT -> {
        List<SyncRecord> rows = records.insert(generation, syncTime, message.getInsert());
        if (!rows.isEmpty()) {
          String table = rows.get(0).headers().lastWithName(SyncHeaders.TABLE).value().toString();
          synced.add(table);
          int decoded = 0;
          for (SyncRecord row : rows) {
            decoded += row.rows(); // a record per row, or one Arrow batch (record.format=arrow)
          }
          metrics.rowsDecoded(table, decoded, message.getInsert().getRecord().size());
          queue.put(new SyncEvent.Records(rows));
        }
      }
      case DELETE_RECORD -> {
        List<SyncRecord> tombstones =
            records.delete(generation, syncTime, message.getDeleteRecord());
        if (!tombstones.isEmpty()) {
          queue.put(new SyncEvent.Records(tombstones));
        } else {
          metrics.deleteSkipped(message.getDeleteRecord().getTableName());
        }
      }
      case ERROR -> {
        Sync.MessageError error = message.getError();
        metrics.pluginError(error.getTableName());
        log.warn(
            "Plugin of source '{}' reported an error for table '{}': {}",
            settings.source(),
            error.getTableName(),
            error.getError());
      }
      default -> log.warn("Ignoring an empty or unknown Sync message from the plugin");
    }
  }

  private Sync.Request request(StateEndpoint endpoint) {
    Sync.Request.Builder request =
        Sync.Request.newBuilder()
            .addAllTables(settings.tables())
            .addAllSkipTables(settings.skipTables())
            .setSkipDependentTables(settings.skipDependentTables())
            .setDeterministicCqId(settings.deterministicCqId())
            .setWithErrorMessages(true);
    if (endpoint != null) {
      request.setBackend(
          Sync.BackendOptions.newBuilder()
              .setTableName(settings.stateTable())
              .setConnection(endpoint.target()));
    }
    if (settings.shardTotal() > 0) {
      request.setShard(
          Sync.Request.Shard.newBuilder()
              .setNum(settings.shardNum())
              .setTotal(settings.shardTotal()));
    }
    return request.build();
  }

  /**
   * Waits until the poll thread committed the sync (the {@link SyncCommitter} logs why it waits);
   * false when the task is stopping.
   */
  private boolean awaitCommit(long generation, CompletableFuture<Void> committed)
      throws InterruptedException {
    while (running) {
      try {
        committed.get(1, TimeUnit.SECONDS);
        return true;
      } catch (TimeoutException e) {
        // check running again
      } catch (ExecutionException e) {
        throw new ConnectException(
            "Committing the cursors of sync " + generation + " failed: " + e.getCause(),
            e.getCause());
      }
    }
    return false;
  }

  private static boolean isSyncError(Throwable e) {
    // Errors raised by the plugin while syncing (INTERNAL from the Go SDK) are often transient
    // (an API the plugin calls was down): they are retried within the budget too.
    return GrpcErrors.statusOf(e) != null;
  }

  private String permanentMessage(Throwable e, String why, List<String> logs) {
    StringBuilder message =
        new StringBuilder("Source '")
            .append(settings.source())
            .append("': ")
            .append(e.getMessage())
            .append(why);
    appendLogs(message, logs);
    return message.toString();
  }

  private String failureMessage(Throwable e, int failures, List<String> logs) {
    StringBuilder message =
        new StringBuilder("Source '")
            .append(settings.source())
            .append("': the plugin failed ")
            .append(failures)
            .append(failures == 1 ? " time" : " times in a row")
            .append(" (plugin.restart.max.attempts = ")
            .append(settings.maxRestarts())
            .append("): ")
            .append(e.getMessage());
    appendLogs(message, logs);
    return message.toString();
  }

  private static void appendLogs(StringBuilder message, List<String> logs) {
    if (!logs.isEmpty()) {
      message.append("\nLast plugin log lines:");
      logs.forEach(line -> message.append("\n  ").append(line));
    }
  }

  private void sleep(Duration duration) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    while (running) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }

  private void closePlugin() {
    PluginConnection current = plugin;
    plugin = null;
    if (current != null) {
      try {
        current.close();
      } catch (RuntimeException e) {
        log.warn("Closing the plugin of source '{}' failed", settings.source(), e);
      }
    }
  }
}
