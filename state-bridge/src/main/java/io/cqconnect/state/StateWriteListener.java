package io.cqconnect.state;

import java.util.List;

/**
 * Told by the {@link StateBackendServer} about every state insert it has accepted: after the {@link
 * StateStore} has durably written the rows, before the plugin gets its {@code Write} response.
 *
 * <p>Contract: called on a gRPC executor thread, possibly concurrently for different streams, once
 * per {@code insert} message (also for a 0-row insert, which is how a plugin's {@code Flush} with
 * nothing changed arrives). The list is the decoded rows in message order (not collapsed per key),
 * rows of a record without a {@code version} column carrying the versions the store gave them
 * ({@link StateStore#writeUnversioned}); it is not modified afterwards. If the listener throws, the
 * plugin's {@code Write} fails with {@code INTERNAL} (the rows stay in the store). Keep it quick:
 * the plugin waits for it.
 */
@FunctionalInterface
public interface StateWriteListener {

  /** A listener that does nothing. */
  StateWriteListener NONE = (table, rows) -> {};

  /** The store has accepted these rows for {@code table}. */
  void onWrite(String table, List<StateRow> rows);
}
