package io.cqconnect.sink;

import io.cqconnect.plugin.GrpcErrors;
import io.cqconnect.plugin.PluginText;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tombstones for tables this task has not created in the destination.
 *
 * <p>A compacted topic can keep nothing but a tombstone for a table, so a new sink may meet a
 * delete for a table the destination never saw; CloudQuery's SQLite and PostgreSQL destinations
 * fail that delete ({@code no such table}, {@code relation ... does not exist}) and the whole
 * {@code Write} with it. The protocol cannot tell the sink which tables a destination has ({@code
 * GetTables} lists a source's tables, {@code Read} streams a whole table), and not sending deletes
 * for tables this task has not migrated would lose real deletes after every restart (the table
 * exists; this task has just not migrated it yet). So such a delete is sent on a {@code Write} of
 * its own, the only way to know a refusal is about it; a permanent refusal (an answered gRPC status
 * no retry changes, from a plugin still running) is skipped: counted in {@code
 * tombstones-skipped-total} of the table, logged at WARN once per table, and its offset committed.
 * The plugin is then sent an empty {@code Write}: CloudQuery's SDK batch writer (the SQLite
 * destination's) keeps a refused delete queued and fails every later {@code Write} with it, so when
 * the empty one fails a launched plugin is restarted. Once a delete of a table succeeds the table
 * is known to exist and later deletes go with the batch. Transient failures keep the task's retry
 * policy ({@link WriteRetries}). The delete itself is sent by {@link RecordRouter}; this class
 * makes its decisions and keeps its counts. Used by the task thread only.
 */
final class MissingTableTombstones {

  private static final Logger log = LoggerFactory.getLogger(MissingTableTombstones.class);

  private final String label;
  private final SinkMetrics metrics;
  private final Set<String> present = new HashSet<>();
  private final Set<String> warned = new HashSet<>();

  MissingTableTombstones(String label, SinkMetrics metrics) {
    this.label = label;
    this.metrics = metrics;
  }

  /**
   * Whether a delete of {@code table} must go on a stream of its own: this task neither migrated
   * the table (an answered stream carried its {@code migrate_table}) nor saw a delete of it
   * succeed.
   */
  boolean mustIsolate(String table, boolean migratedByTask) {
    return !migratedByTask && !present.contains(table);
  }

  /** A delete of {@code table} succeeded: the destination has the table. */
  void deleted(String table) {
    present.add(table);
  }

  /**
   * Whether the failure of a delete sent alone is the destination's permanent refusal of it: the
   * plugin answered with a gRPC status that is not worth retrying, and its process is still there.
   * Transport failures, timeouts and a plugin that died are not refusals.
   */
  static boolean isRefusal(Throwable failure, boolean pluginGone) {
    return !pluginGone && GrpcErrors.statusOf(failure) != null && !GrpcErrors.isRetriable(failure);
  }

  /** Counts the skipped tombstone and, the first time for its table, says why at WARN. */
  void skipped(IncomingRecord in, Throwable refusal) {
    metrics.tombstoneSkipped(in.table());
    if (warned.add(in.table())) {
      log.warn(
          "sink task {}: the destination refused the delete of the tombstone at {} for table '{}',"
              + " which this task never created (a compacted topic may keep only a tombstone for a"
              + " table the destination never had); the tombstone is skipped and its offset"
              + " committed. Later refused tombstones of this table are only counted in"
              + " tombstones-skipped-total. Destination error: {}",
          label,
          IncomingRecord.describe(in.record()),
          in.table(),
          PluginText.forError(String.valueOf(refusal.getMessage())));
    }
  }
}
