package io.cqconnect.state;

import java.util.List;

/**
 * The storage behind a {@link StateBackendServer}: state tables of {@code (key, value, version)}
 * rows, one row per key.
 *
 * <p>Contract: {@link #write} is a durable upsert by key that keeps the highest version (unsigned);
 * a row with a lower version than the stored one is ignored, and an equal version replaces the
 * stored row; {@link #writeUnversioned} stores rows that carry no version as the newest of their
 * key ({@link StateRows#asNewest}). When either returns, the rows survive a crash of this process
 * (as far as the store can promise: a memory store promises nothing beyond the process). {@link
 * #read} returns one row per key and an empty list for a table that does not exist. Implementations
 * are safe for concurrent use by several gRPC calls. Failures are thrown as {@link
 * StateStoreException}.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Creates the table if it does not exist and upgrades an older layout (a table without {@code
   * version}); idempotent.
   */
  void migrate(String table);

  /** The stored rows of the table, one per key with its highest version; empty if none. */
  List<StateRow> read(String table);

  /**
   * Durably upserts the rows into the table (creating it first if needed), keeping the highest
   * version per key; within {@code rows} later rows win ties.
   */
  void write(String table, List<StateRow> rows);

  /**
   * Durably stores rows from a state client that sends no version column (Go SDKs before v4.67, the
   * Python SDK): each row becomes the newest version of its key by {@link StateRows#asNewest}, so
   * it replaces what the table held, as with CloudQuery's destinations. Creates the table first if
   * needed; within {@code rows} later rows win.
   *
   * @param rows the rows as written; their versions are ignored
   * @return the rows as stored, with the versions they were given, in the order of {@code rows}
   */
  List<StateRow> writeUnversioned(String table, List<StateRow> rows);

  /**
   * Whether the table exists in the store, whoever created it and whenever (also before this
   * process started), so an insert after a restart of the backend can be told from an insert into a
   * table nobody migrated.
   */
  boolean exists(String table);

  /** Releases the store's resources; idempotent. */
  @Override
  void close();
}
