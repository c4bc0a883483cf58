package io.cqconnect.sink;

import io.cqconnect.plugin.PluginClient;
import io.cqconnect.plugin.WriteStream;
import io.cqconnect.plugin.proto.v3.Write;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * One {@code Write} stream to the destination plugin: sends a {@code migrate_table} before the
 * first insert of each table (and again only if that table's schema changes within the stream),
 * then the messages in order; {@link #complete()} half-closes and waits for the plugin's answer,
 * the only acknowledgement the protocol has.
 *
 * <p>Used by the task thread only; {@link #cancel(String)} may come from any thread.
 */
final class WriteSession {

  private final WriteStream stream;
  private final boolean migrateForce;
  private final Duration timeout;
  private final Map<String, TableShape> migrated = new HashMap<>();
  private int messages;

  WriteSession(PluginClient client, boolean migrateForce, Duration timeout) {
    this.stream = client.openWrite();
    this.migrateForce = migrateForce;
    this.timeout = timeout;
  }

  /**
   * Sends one operation, blocking while the plugin is not ready for more (flow control), at most
   * the timeout per message.
   */
  void send(WriteOp op) {
    TableShape migration = migrationFor(op);
    if (migration != null) {
      send(WriteOp.migrate(migration, migrateForce));
      migrated.put(migration.table(), migration);
    }
    if (op instanceof WriteOp.Insert insert) {
      send(insert.request());
    } else if (op instanceof WriteOp.RecordDelete delete) {
      send(delete.request());
    } else if (op instanceof WriteOp.StaleDelete stale) {
      send(stale.request());
    }
  }

  /**
   * The shape whose {@code migrate_table} sending {@code op} would start with on this stream, or
   * null when the stream already migrated that table with that schema (or the op has no shape).
   */
  TableShape migrationFor(WriteOp op) {
    TableShape shape = null;
    if (op instanceof WriteOp.Insert insert) {
      shape = insert.shape();
    } else if (op instanceof WriteOp.Migrate migrate) {
      shape = migrate.shape();
    }
    return shape == null || shape.sameSchema(migrated.get(shape.table())) ? null : shape;
  }

  /** The shapes this stream migrated, by table (the latest if a table changed within it). */
  Map<String, TableShape> migrated() {
    return Map.copyOf(migrated);
  }

  /** Half-closes the stream and waits until the plugin has processed every message. */
  void complete() {
    try {
      stream.complete(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.cancel("interrupted");
      throw new ConnectException("Interrupted while waiting for the destination's Write answer", e);
    }
  }

  /** Cancels the stream; the plugin drops what it has not written. */
  void cancel(String why) {
    stream.cancel(why);
  }

  /** Messages sent so far, migrations included. */
  int messages() {
    return messages;
  }

  private void send(Write.Request request) {
    try {
      stream.send(request, timeout);
      messages++;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.cancel("interrupted");
      throw new ConnectException("Interrupted while sending to the destination plugin", e);
    }
  }
}
