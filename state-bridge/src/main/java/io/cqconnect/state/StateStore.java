package io.cqconnect.state;

import java.util.List;

/**
 * The storage behind a {@link StateBackendServer}: state tables of {@code (key, value, version)}
 * rows, one row per key.
 *
 * <p>Contract: {@link #write} is a durable upsert by key that keeps the highest version (unsigned);
 * a row with a lower version than the stored one is ignored, and an equal version replaces the
 * stored row. When {@code write} returns, the rows survive a crash of this process (as far as the
 * store can promise: a memory store promises nothing beyond the process). {@link #read} returns one
 * row per key and an empty list for a table that does not exist. Implementations are safe for
 * concurrent use by several gRPC calls. Failures are thrown as {@link StateStoreException}.
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

  /** Releases the store's resources; idempotent. */
  @Override
  void close();
}
