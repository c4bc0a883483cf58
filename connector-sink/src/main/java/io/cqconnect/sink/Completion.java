package io.cqconnect.sink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A half-closed {@code Write} stream waiting in the background for the plugin's answer, with what
 * that answer confirms: its operations (replayed if it fails) and the consumed offsets they cover.
 *
 * <p>Waiting in the background lets the task convert and send the next batch while the destination
 * writes this one; the task keeps at most one such stream outstanding and collects its outcome
 * before starting another, before a delete-stale and at every commit.
 */
final class Completion {

  private final WriteSession session;
  private final List<WriteOp> ops;
  private final Map<TopicPartition, Long> offsets;
  private final Map<String, Long> rowsByTable;
  private final Map<String, TableShape> migrated;
  private final Future<Long> answer;

  private Completion(
      WriteSession session,
      List<WriteOp> ops,
      Map<TopicPartition, Long> offsets,
      Map<String, Long> rowsByTable,
      ExecutorService executor) {
    this.session = session;
    this.ops = List.copyOf(ops);
    this.offsets = Map.copyOf(offsets);
    this.rowsByTable = Map.copyOf(rowsByTable);
    this.migrated = session.migrated();
    this.answer =
        executor.submit(
            () -> {
              long start = System.nanoTime();
              session.complete();
              return Duration.ofNanos(System.nanoTime() - start).toMillis();
            });
  }

  /** Half-closes {@code session} and starts waiting for its answer on {@code executor}. */
  static Completion start(
      WriteSession session,
      List<WriteOp> ops,
      Map<TopicPartition, Long> offsets,
      Map<String, Long> rowsByTable,
      ExecutorService executor) {
    return new Completion(session, ops, offsets, rowsByTable, executor);
  }

  /** The operations the stream carried, in order. */
  List<WriteOp> ops() {
    return ops;
  }

  /** The consumed offsets (next offset per partition) this stream confirms. */
  Map<TopicPartition, Long> offsets() {
    return offsets;
  }

  /** Rows per table the stream wrote. */
  Map<String, Long> rowsByTable() {
    return rowsByTable;
  }

  /** The table shapes the stream migrated: the destination has applied them once it answered. */
  Map<String, TableShape> migrated() {
    return migrated;
  }

  /** Whether the answer (or failure) has arrived. */
  boolean isDone() {
    return answer.isDone();
  }

  /**
   * Waits for the answer.
   *
   * @return milliseconds from half-close to the answer
   * @throws RuntimeException the stream's failure, as mapped by the plugin client
   */
  long await() {
    try {
      return answer.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException
          ? (RuntimeException) cause
          : new ConnectException("Write completion failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.cancel("interrupted");
      throw new ConnectException("Interrupted while waiting for the destination's Write answer", e);
    }
  }

  /** Cancels the stream (the task is stopping or dropping what it holds). */
  void cancel(String why) {
    session.cancel(why);
  }
}
