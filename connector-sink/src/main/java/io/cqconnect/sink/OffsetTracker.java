package io.cqconnect.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which consumed offsets may be committed: only those of records a completed {@code Write} has
 * confirmed (or that needed no write). Also drops redelivered records, because after a {@code
 * RetriableException} Connect hands {@code put} the same batch again while its rows are still
 * buffered here.
 *
 * <p>Offsets are tracked on the record's original topic partition (KIP-793), which is what the
 * consumer commits when a transformation renamed the topic. Not thread-safe.
 */
final class OffsetTracker {

  private static final boolean HAS_ORIGINAL = hasOriginalCoordinates();

  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Map<TopicPartition, Long> firstUnconfirmed = new HashMap<>();
  private final Map<TopicPartition, Long> confirmed = new HashMap<>();

  /**
   * True if the record was registered before (a redelivery after a retriable failure, whose
   * operation is still queued here): it must be skipped.
   */
  boolean seen(SinkRecord record) {
    Long expected = next.get(partitionOf(record));
    return expected != null && offsetOf(record) < expected;
  }

  /**
   * Registers a consumed record once the task has queued what it needs (or decided it needs
   * nothing): a record whose handling failed stays unregistered, so its redelivery is handled
   * again. False if it was registered before.
   */
  boolean accept(SinkRecord record) {
    if (seen(record)) {
      return false;
    }
    TopicPartition partition = partitionOf(record);
    long offset = offsetOf(record);
    next.put(partition, offset + 1);
    firstUnconfirmed.putIfAbsent(partition, offset);
    return true;
  }

  /** Everything consumed so far is written: its offsets may be committed. */
  void confirmAll() {
    confirm(snapshot());
  }

  /** The offsets consumed so far (next offset per partition), to confirm once they are written. */
  Map<TopicPartition, Long> snapshot() {
    return new HashMap<>(next);
  }

  /** The records before a snapshot are written: their offsets may be committed. */
  void confirm(Map<TopicPartition, Long> snapshot) {
    snapshot.forEach(
        (partition, offset) -> {
          Long current = next.get(partition);
          if (current == null) {
            return; // forgotten meanwhile (partition closed)
          }
          confirmed.merge(partition, offset, Math::max);
          if (current <= offset) {
            firstUnconfirmed.remove(partition);
          } else {
            firstUnconfirmed.merge(partition, offset, Math::max);
          }
        });
  }

  /** True when some consumed record is not confirmed yet. */
  boolean hasUnconfirmed() {
    return !firstUnconfirmed.isEmpty();
  }

  /** The confirmed offsets of the partitions Connect asks about. */
  Map<TopicPartition, OffsetAndMetadata> committable(
      Map<TopicPartition, OffsetAndMetadata> current) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (TopicPartition partition : current.keySet()) {
      Long offset = confirmed.get(partition);
      if (offset != null) {
        out.put(partition, new OffsetAndMetadata(offset));
      }
    }
    return out;
  }

  /**
   * Forgets the unconfirmed records (they were dropped) and returns, per partition, the offset to
   * consume again from.
   */
  Map<TopicPartition, Long> rewind() {
    Map<TopicPartition, Long> targets = new HashMap<>(firstUnconfirmed);
    next.putAll(targets);
    firstUnconfirmed.clear();
    return targets;
  }

  /** Forgets partitions this task no longer owns (or owns afresh). */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      next.remove(partition);
      firstUnconfirmed.remove(partition);
      confirmed.remove(partition);
    }
  }

  static TopicPartition partitionOf(SinkRecord record) {
    if (HAS_ORIGINAL) {
      return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }
    return new TopicPartition(record.topic(), record.kafkaPartition());
  }

  static long offsetOf(SinkRecord record) {
    return HAS_ORIGINAL ? record.originalKafkaOffset() : record.kafkaOffset();
  }

  private static boolean hasOriginalCoordinates() {
    try {
      SinkRecord.class.getMethod("originalKafkaOffset");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
