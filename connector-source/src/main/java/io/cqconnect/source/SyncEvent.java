package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the sync thread hands to {@code poll()} through the bounded queue. Each sync generation is
 * one {@link Started}, its {@link Records}, then {@link Ended} or {@link Aborted}.
 */
sealed interface SyncEvent {

  /**
   * A sync begins. The {@link SyncCommitter} completes {@code committed} once the sync's cursors
   * are durable in Connect's offset store and handed to the mirror (exceptionally when the sync is
   * aborted); the sync thread starts the next sync only after that.
   */
  record Started(long generation, CompletableFuture<Void> committed) implements SyncEvent {}

  /** Records decoded from one plugin message (an insert's rows, or tombstones). */
  record Records(List<SyncRecord> records) implements SyncEvent {}

  /**
   * The sync's stream ended cleanly: the cursors it wrote may be committed once its records are in
   * Kafka, and each table it synced gets an end-of-sync marker.
   *
   * @param fullRefresh whether the sync read the incremental tables from scratch ({@link
   *     FullRefresh}): its markers carry delete-stale
   * @param lastFullRefresh the start of the last full refresh once this sync is committed (its own
   *     start when it is one); null when none is known
   */
  record Ended(
      long generation,
      Instant syncTime,
      Set<String> tables,
      List<StateRow> pending,
      boolean fullRefresh,
      Instant lastFullRefresh)
      implements SyncEvent {

    /** A sync that is not a full refresh, with no full refresh known. */
    Ended(long generation, Instant syncTime, Set<String> tables, List<StateRow> pending) {
      this(generation, syncTime, tables, pending, false, null);
    }
  }

  /** The sync failed and will be retried: its cursors are dropped. */
  record Aborted(long generation, Throwable cause) implements SyncEvent {}

  /** The task cannot go on: {@code poll()} rethrows the cause. */
  record Failed(RuntimeException cause) implements SyncEvent {}
}
