package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Drives one sink task the way the Connect runtime does and SIGKILLs its destination plugin process
 * right after commits and mid-stream: after each kill, every row whose offset the task confirmed
 * must already be in the database; after the task restarts the plugin, the unconfirmed rows must
 * arrive too.
 *
 * <p>Record {@code n} of the partition is the row with id {@code n}, so "offset below the committed
 * offset" and "id below it" are the same set and each check is an exact list of ids.
 */
final class KillAfterCommit {

  /** The ids of the table's rows, ascending (duplicates kept). */
  interface Ids {
    List<Long> read() throws SQLException;
  }

  /** Records per {@code put}, below {@code batch.max.rows} so a stream spans several puts. */
  static final int RECORDS_PER_PUT = 120;

  /** Deliveries of one batch before the test gives up (a kill costs one failed attempt). */
  private static final int ATTEMPTS = 5;

  private static final Instant SYNC_TIME = Instant.parse("2024-05-01T10:00:00Z");

  private final CloudQuerySinkTask task;
  private final TestRecords records;
  private final TopicPartition partition;
  private final Ids ids;
  private final Set<Long> killedPids = new LinkedHashSet<>();
  private long consumed;
  private int failedAttempts;

  KillAfterCommit(CloudQuerySinkTask task, TestRecords records, TopicPartition partition, Ids ids) {
    this.task = task;
    this.records = records;
    this.partition = partition;
    this.ids = ids;
  }

  /**
   * Puts {@code confirmed} records, commits them and kills the plugin at once; then puts {@code
   * pending} more (the task restarts the plugin; they stay on an open stream or a stream whose
   * answer is outstanding) and kills it again. Both times every committed row must be stored.
   *
   * @return the committed offset the kills must not undo
   */
  long round(int confirmed, int pending) throws SQLException {
    deliver(confirmed);
    long committed = commit();
    kill();
    assertStored(committed);
    if (pending > 0) {
      deliver(pending);
      kill();
      assertStored(committed);
    }
    return committed;
  }

  private void assertStored(long committed) throws SQLException {
    List<Long> stored = ids.read();
    assertThat(stored)
        .as("rows after SIGKILL")
        .doesNotHaveDuplicates()
        .allMatch(id -> id < consumed);
    Set<Long> missing = new LinkedHashSet<>(range(0, committed));
    stored.forEach(missing::remove);
    assertThat(missing)
        .as("confirmed rows (offset below the committed %d) missing after SIGKILL", committed)
        .isEmpty();
  }

  /**
   * Lets the task restart the plugin and confirm everything; checks that no row was lost.
   *
   * @return the committed offset, which is every record consumed
   */
  long recover() throws SQLException {
    long committed = commit();
    assertThat(ids.read()).as("rows after recovery").isEqualTo(range(0, consumed));
    assertThat(task.pluginPid()).as("the plugin runs again").isPresent();
    assertThat(killedPids).as("a new process after each kill").doesNotContain(pid());
    return committed;
  }

  /** Puts or commits that failed because the plugin was gone (each kill must cost at least one). */
  int failedAttempts() {
    return failedAttempts;
  }

  /** Distinct plugin processes killed. */
  int killed() {
    return killedPids.size();
  }

  private void deliver(int count) {
    for (int sent = 0; sent < count; sent += RECORDS_PER_PUT) {
      List<SinkRecord> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(RECORDS_PER_PUT, count - sent); i++) {
        long offset = consumed++;
        batch.add(records.row(offset, offset, "n" + offset, SYNC_TIME, "src"));
      }
      put(batch);
    }
  }

  /** Connect hands the same batch to {@code put} again after a {@link RetriableException}. */
  private void put(List<SinkRecord> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        task.put(batch);
        return;
      } catch (RetriableException e) {
        failedAttempts++;
        if (attempt == ATTEMPTS) {
          throw new AssertionError("put still fails after " + ATTEMPTS + " attempts", e);
        }
      }
    }
  }

  /**
   * Commits as Connect does: a flush that failed inside {@code preCommit} leaves the older offset
   * and the runtime calls {@code put} again before the next commit.
   */
  private long commit() {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // Connect stands at the offset after the last record of a put that returned: consumed.
      Map<TopicPartition, OffsetAndMetadata> out = SinkTaskFixture.commit(task, partition);
      OffsetAndMetadata offset = out.get(partition);
      if (offset != null && offset.offset() == consumed) {
        return consumed;
      }
      failedAttempts++;
      put(List.of());
    }
    throw new AssertionError(
        "preCommit did not confirm offset " + consumed + " after " + ATTEMPTS + " attempts");
  }

  /** SIGKILLs exactly this task's plugin process and waits until it is gone. */
  private void kill() {
    long pid = pid();
    assertThat(killedPids).as("the plugin was restarted after the last kill").doesNotContain(pid);
    ProcessHandle process =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new AssertionError("plugin process " + pid + " is not running"));
    process.destroyForcibly(); // SIGKILL on Unix: no chance to flush or close anything
    process.onExit().join();
    killedPids.add(pid);
  }

  private long pid() {
    return task.pluginPid()
        .orElseThrow(() -> new AssertionError("the task has no launched plugin process"));
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
