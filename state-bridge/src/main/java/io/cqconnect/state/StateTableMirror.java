package io.cqconnect.state;

import java.util.List;

/**
 * A copy of one state table kept where the CloudQuery CLI can read it (a destination plugin's
 * database, or a JDBC database), so the CLI and Kafka Connect can resume from each other's cursors.
 *
 * <p>Contract: call {@link #migrate()} once before the first {@link #read()}; it creates the table
 * or upgrades it, and is idempotent. {@link #read()} returns one row per key, the highest version
 * (rows without a version count as 0). {@link #write(List)} stores rows so that per key the highest
 * version wins; it returns once the target has acknowledged them. Failures are thrown as runtime
 * exceptions (Connect's {@code RetriableException} for transient ones where the target says so);
 * callers retry later, a failed mirror write never loses state that is also held elsewhere. One
 * thread at a time.
 */
public interface StateTableMirror extends AutoCloseable {

  /** The state table's name. */
  String table();

  /** Creates the table if needed (and adds {@code version} to an old 2-column table). */
  void migrate();

  /** The table's rows, one per key with its highest version. */
  List<StateRow> read();

  /** Writes the rows (upsert by key, highest version wins). */
  void write(List<StateRow> rows);

  /** Releases the connection (and stops a plugin this mirror started); never throws. */
  @Override
  void close();
}
