package io.cqconnect.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which consumed offsets may be committed: those of records a completed {@code Write} has confirmed
 * (or that needed no write), and Connect's own position for a partition with nothing waiting for a
 * write, so records Connect dropped before {@code put} (converter failures sent to the dead letter
 * queue, records a transformation filtered out) are committed too, also at a partition's end. Also
 * drops redelivered records, because after a {@code RetriableException} Connect hands {@code put}
 * the same batch again while its rows are still buffered here.
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
   * Partitions {@link #rewind} returned for Connect to rewind ({@code SinkTaskContext.offset}),
   * with the number of {@code put} calls still to start before Connect's position is the rewind
   * target again.
   */
  private final Map<TopicPartition, Integer> rewinding = new HashMap<>();

  /**
   * True if the record was registered before (a redelivery after a retriable failure, whose
   * operation is still queued here): it must be skipped.
   */
  boolean seen(SinkRecord record) {
    Long expected = next.get(partitionOf(record));
    return expected != null && offsetOf(record) < expected;
  }

  /**
   * True if the record reached this {@code put} from before a rewind Connect has not applied yet:
   * the consumer fetched it past the rewind target in the poll the rewind was asked in, so its
   * position is beyond records that were dropped here. It must be skipped without being registered:
   * taken, it would make the redelivered records from the target look {@link #seen} (and the
   * dropped ones would never be written); after the seek it comes again in order.
   */
  boolean fetchedBeforeRewind(SinkRecord record) {
    return rewinding.containsKey(partitionOf(record));
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

  /**
   * The offsets to commit of the partitions Connect asks about, given Connect's positions ({@code
   * current}: the offset after the last record Connect handed to a {@code put} that returned, or
   * dropped before {@code put}). For a partition with no consumed record waiting for its write and
   * no rewind outstanding, that position: every record before it was written, needed no write or
   * was dropped by Connect. Otherwise the confirmed offset, if any.
   */
  Map<TopicPartition, OffsetAndMetadata> committable(
      Map<TopicPartition, OffsetAndMetadata> current) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    current.forEach(
        (partition, position) -> {
          Long offset = confirmed.get(partition);
          if (position != null
              && !firstUnconfirmed.containsKey(partition)
              && !rewinding.containsKey(partition)) {
            offset = position.offset();
          }
          if (offset != null) {
            out.put(partition, new OffsetAndMetadata(offset));
          }
        });
    return out;
  }

  /** A {@code put} starts: counts down the rewinds Connect has not applied yet. */
  void putStarting() {
    rewinding.replaceAll((partition, puts) -> puts - 1);
    rewinding.values().removeIf(puts -> puts <= 0);
  }

  /**
   * Forgets the unconfirmed records (they were dropped) and returns, per partition, the offset to
   * consume again from, which the caller asks Connect to rewind to (or {@link #forget}s the
   * partition). Connect seeks, and resets its position, at the start of its next poll; a rewind
   * asked in {@code close} (called inside Connect's poll, after that step) is applied only at the
   * poll after, so Connect's position is the target only once the second {@code put} from now
   * starts. Until then its position may still be past the rewound records and is not committed.
   */
  Map<TopicPartition, Long> rewind() {
    Map<TopicPartition, Long> targets = new HashMap<>(firstUnconfirmed);
    next.putAll(targets);
    firstUnconfirmed.clear();
    targets.keySet().forEach(partition -> rewinding.put(partition, 2));
    return targets;
  }

  /**
   * Connect applied every rewind asked so far: it does so right after {@code open} (its assignment
   * callback seeks before the consumer returns records), as well as at the start of a poll.
   */
  void rewindsApplied() {
    rewinding.clear();
  }

  /** Forgets partitions this task no longer owns (or owns afresh). */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      next.remove(partition);
      firstUnconfirmed.remove(partition);
      confirmed.remove(partition);
      rewinding.remove(partition);
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
