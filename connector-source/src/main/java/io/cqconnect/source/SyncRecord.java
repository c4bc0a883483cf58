package io.cqconnect.source;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A source record that remembers which sync produced it and what it is, so the ack callback ({@code
 * commitRecord}, which receives the record as the task returned it, before any SMT) can count it
 * for the right sync in the {@link CommitBarrier} without a lookup: the barrier binds the record to
 * its sync's counters when {@code poll()} returns it.
 */
final class SyncRecord extends SourceRecord {

  /** What a record carries. */
  enum Kind {
    /** A row (or tombstone) of a plugin table. */
    DATA,
    /** A cursor, or the key index, written at the end of a sync: carries a Connect offset. */
    STATE,
    /** The per-table end-of-sync marker read by the sink for overwrite-delete-stale. */
    MARKER
  }

  private final long generation;
  private final Kind kind;

  /** Plugin rows the record carries: 1, or a whole batch's in {@code record.format=arrow}. */
  private int rows = 1;

  /** The generation's counters, bound when the record is returned from poll(); else null. */
  private CommitBarrier.Counts counts;

  SyncRecord(
      long generation,
      Kind kind,
      Map<String, ?> sourcePartition,
      Map<String, ?> sourceOffset,
      String topic,
      Schema keySchema,
      Object key,
      Schema valueSchema,
      Object value,
      Long timestamp,
      Iterable<Header> headers) {
    super(
        sourcePartition,
        sourceOffset,
        topic,
        null,
        keySchema,
        key,
        valueSchema,
        value,
        timestamp,
        headers);
    this.generation = generation;
    this.kind = kind;
  }

  /** A record of a table topic (a row, batch, tombstone or delete-record): no Connect offset. */
  static SyncRecord data(
      long generation,
      String topic,
      Schema keySchema,
      Object key,
      Schema valueSchema,
      Object value,
      Iterable<Header> headers) {
    return new SyncRecord(
        generation,
        Kind.DATA,
        null,
        null,
        topic,
        keySchema,
        key,
        valueSchema,
        value,
        null,
        headers);
  }

  long generation() {
    return generation;
  }

  Kind kind() {
    return kind;
  }

  int rows() {
    return rows;
  }

  /** Marks the record as carrying {@code rows} plugin rows (an Arrow batch); returns it. */
  SyncRecord carrying(int rows) {
    this.rows = rows;
    return this;
  }

  void bind(CommitBarrier.Counts counts) {
    this.counts = counts;
  }

  CommitBarrier.Counts counts() {
    return counts;
  }

  // SourceRecord's equals/hashCode compare contents; identity is what the barrier counts.
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
