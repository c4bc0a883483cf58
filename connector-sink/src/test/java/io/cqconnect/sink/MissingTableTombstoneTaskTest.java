package io.cqconnect.sink;

import static io.cqconnect.sink.SinkTaskFixture.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Status;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tombstone for a table this task never migrated goes on a Write of its own; the destination's
 * permanent refusal of it is skipped and counted, anything else keeps the task's failure policy.
 */
class MissingTableTombstoneTaskTest {

  private static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  private static final TopicPartition ITEMS = new TopicPartition("items", 0);
  private static final TopicPartition GONE = new TopicPartition("gone", 0);

  private final TestRecords items = new TestRecords("items", "items");
  private final TestRecords gone = new TestRecords("gone", "gone");
  private final SinkTaskFixture tasks = new SinkTaskFixture();
  private final FakeDestination destination = tasks.fakeDestination();
  private CloudQuerySinkTask task;

  @AfterEach
  void stopAll() {
    tasks.close();
  }

  private void start() {
    task = tasks.startOnFake("tomb-test", new FakeContext(false));
  }

  private static double skipped(String table) throws Exception {
    Object value =
        ManagementFactory.getPlatformMBeanServer()
            .getAttribute(
                new ObjectName(
                    "kafka.connect.cloudquery:type=sink-table-metrics,connector=tomb-test,task=0,table="
                        + table),
                "tombstones-skipped-total");
    return (Double) value;
  }

  private static List<Write.Request.MessageCase> cases(List<Write.Request> stream) {
    return stream.stream().map(Write.Request::getMessageCase).toList();
  }

  @Test
  void shouldSkipCountAndCommitPastARefusedDeleteOfATableThisTaskNeverMigrated() throws Exception {
    start();
    task.put(List.of(items.row(0, 1, "a", T1, "src")));
    commit(task, ITEMS, GONE);
    destination.failNextWrites(
        Status.INTERNAL.withDescription("write failed: failed to flush: no such table: gone"));
    task.put(List.of(gone.tombstone(0, 7, T1, "src"), items.row(1, 2, "b", T1, "src")));

    assertThat(commit(task, ITEMS, GONE))
        .containsEntry(ITEMS, new OffsetAndMetadata(2))
        .containsEntry(GONE, new OffsetAndMetadata(1));
    assertThat(skipped("gone")).isEqualTo(1.0);
    assertThat(destination.failedStreams())
        .singleElement()
        .extracting(MissingTableTombstoneTaskTest::cases)
        .isEqualTo(List.of(Write.Request.MessageCase.DELETE_RECORD));
    // After the refusal, an empty Write shows whether the plugin kept the delete queued.
    assertThat(destination.completedStreams())
        .extracting(MissingTableTombstoneTaskTest::cases)
        .containsExactly(
            List.of(Write.Request.MessageCase.MIGRATE_TABLE, Write.Request.MessageCase.INSERT),
            List.of(),
            List.of(Write.Request.MessageCase.MIGRATE_TABLE, Write.Request.MessageCase.INSERT));
  }

  @Test
  void shouldSendDeletesWithTheBatchOnceTheDestinationAcceptedOneForTheTable() {
    start();
    task.put(List.of(gone.tombstone(0, 7, T1, "src")));
    task.put(List.of(gone.tombstone(1, 8, T1, "src"), gone.tombstone(2, 9, T1, "src")));

    assertThat(commit(task, ITEMS, GONE)).containsEntry(GONE, new OffsetAndMetadata(3));
    assertThat(destination.completedStreams())
        .extracting(MissingTableTombstoneTaskTest::cases)
        .containsExactly(
            List.of(Write.Request.MessageCase.DELETE_RECORD),
            List.of(
                Write.Request.MessageCase.DELETE_RECORD, Write.Request.MessageCase.DELETE_RECORD));
  }

  @Test
  void shouldRetryATransientFailureOfTheDeleteAndSendItAgainWhenRedelivered() throws Exception {
    start();
    destination.failNextWrites(Status.ABORTED.withDescription("deadlock detected, try again"));
    var tombstone = List.of(gone.tombstone(0, 7, T1, "src"));
    try {
      task.put(tombstone);
      throw new AssertionError("the transient failure was not thrown");
    } catch (RetriableException expected) {
      // Connect delivers the batch again after the backoff
    }
    task.put(tombstone);

    assertThat(commit(task, ITEMS, GONE)).containsEntry(GONE, new OffsetAndMetadata(1));
    assertThat(destination.completedStreams()).hasSize(1);
    assertThat(skipped("gone")).isZero();
  }

  @Test
  void shouldStillFailWhenTheDestinationRefusesADeleteOfATableThisTaskMigrated() throws Exception {
    start();
    task.put(List.of(items.row(0, 1, "a", T1, "src")));
    commit(task, ITEMS, GONE); // the table is migrated by an answered stream
    destination.failNextWrites(Status.INTERNAL.withDescription("disk I/O error"));

    // The row after the delete waits for the delete's answer (see RecordRouter.deleteInFlight): the
    // failure.
    assertThatThrownBy(
            () ->
                task.put(
                    List.of(items.tombstone(1, 1, T1, "src"), items.row(2, 2, "b", T1, "src"))))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("disk I/O error");
    assertThat(destination.failedStreams())
        .singleElement()
        .extracting(MissingTableTombstoneTaskTest::cases)
        .isEqualTo(List.of(Write.Request.MessageCase.DELETE_RECORD));
    // The delete is sent again at the commit and now succeeds; the row whose put failed (offset 2)
    // was never queued and stays uncommitted, to be handled when Connect delivers it again. Nothing
    // waits for a write, so the task commits Connect's position, which a failed put leaves at 1:
    // the tombstone's confirmed offset (2) is past it, and Connect would refuse it as not consumed.
    assertThat(commit(task, ITEMS, GONE)).containsEntry(ITEMS, new OffsetAndMetadata(1));
    assertThat(skipped("items")).isZero();
  }
}
