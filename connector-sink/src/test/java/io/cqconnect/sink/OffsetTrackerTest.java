package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private static SinkRecord record(int partition, long offset) {
    return new SinkRecord("t", partition, null, null, Schema.STRING_SCHEMA, "v", offset);
  }

  /** What the tracker commits when Connect stands at {@code p0} and {@code p1}. */
  private static Map<TopicPartition, OffsetAndMetadata> ask(
      OffsetTracker tracker, long p0, long p1) {
    return tracker.committable(
        Map.of(P0, new OffsetAndMetadata(p0), P1, new OffsetAndMetadata(p1)));
  }

  @Test
  void shouldCommitNothingWhenRecordsAreOnlyConsumed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));

    assertThat(ask(tracker, 6, 0)).doesNotContainKey(P0);
    assertThat(tracker.hasUnconfirmed()).isTrue();
  }

  @Test
  void shouldCommitTheNextOffsetWhenConfirmed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.accept(record(0, 6));
    tracker.accept(record(1, 40));
    tracker.confirmAll();

    assertThat(ask(tracker, 7, 41))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(41)));
    assertThat(tracker.committable(Map.of(P1, new OffsetAndMetadata(41)))).containsOnlyKeys(P1);
  }

  @Test
  void shouldSkipRecordsDeliveredAgainWhenTheyWereAlreadyAccepted() {
    OffsetTracker tracker = new OffsetTracker();
    List<Boolean> first = List.of(tracker.accept(record(0, 5)), tracker.accept(record(0, 6)));
    List<Boolean> again = List.of(tracker.accept(record(0, 5)), tracker.accept(record(0, 6)));

    assertThat(first).containsExactly(true, true);
    assertThat(again).containsExactly(false, false);
    assertThat(tracker.accept(record(0, 7))).isTrue();
  }

  @Test
  void shouldReturnTheFirstUnconfirmedOffsetsAndAcceptThemAgainWhenRewound() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.confirmAll();
    tracker.accept(record(0, 6));
    tracker.accept(record(0, 7));

    assertThat(tracker.rewind()).containsExactly(Map.entry(P0, 6L));
    assertThat(tracker.accept(record(0, 6))).isTrue();
    assertThat(ask(tracker, 7, 0)).containsEntry(P0, new OffsetAndMetadata(6));
  }

  @Test
  void shouldForgetPartitionsWhenClosed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.confirmAll();
    tracker.forget(List.of(P0));

    // Assigned again, from its committed offset: offset 3 is new, and waits for its write.
    assertThat(tracker.accept(record(0, 3))).isTrue();
    assertThat(ask(tracker, 4, 0)).doesNotContainKey(P0);
  }

  @Test
  void shouldTrackTheOriginalPartitionWhenATransformRenamedTheTopic() {
    SinkRecord original = new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "v", 5);
    SinkRecord renamed =
        original.newRecord("renamed", 0, null, null, Schema.STRING_SCHEMA, "v", null, null);
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(renamed);
    tracker.confirmAll();

    // Connect's position is on the original partition; a later record (offset 6) waits.
    SinkRecord later =
        new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "v", 6)
            .newRecord("renamed", 0, null, null, Schema.STRING_SCHEMA, "v", null, null);
    tracker.accept(later);

    assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(7))))
        .containsEntry(P0, new OffsetAndMetadata(6));
  }

  @Test
  void shouldCommitConnectsPositionPastDroppedRecordsWhenNothingWaits() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.confirmAll();

    // Connect dropped offsets 6 and 7 before put, and every record of P1 it consumed.
    assertThat(ask(tracker, 8, 3))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(P0, new OffsetAndMetadata(8), P1, new OffsetAndMetadata(3)));
    tracker.accept(record(0, 8));
    assertThat(ask(tracker, 9, 3)).containsEntry(P0, new OffsetAndMetadata(6));
  }

  @Test
  void shouldKeepTheConfirmedOffsetUntilConnectAppliedARewind() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.confirmAll();
    tracker.accept(record(0, 6));
    assertThat(tracker.rewind()).containsExactly(Map.entry(P0, 6L));
    tracker.confirmAll(); // nothing waits any more

    assertThat(ask(tracker, 9, 0)).containsEntry(P0, new OffsetAndMetadata(6));
    tracker.putStarting(); // the put of the poll the rewind was asked in: Connect has not sought
    assertThat(ask(tracker, 9, 0)).containsEntry(P0, new OffsetAndMetadata(6));
    tracker.putStarting(); // the next poll sought to 6
    assertThat(ask(tracker, 6, 0)).containsEntry(P0, new OffsetAndMetadata(6));
    assertThat(ask(tracker, 8, 0)).containsEntry(P0, new OffsetAndMetadata(8));
  }

  @Test
  void shouldForgetARewindWhenThePartitionIsClosed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 3));
    assertThat(tracker.rewind()).containsExactly(Map.entry(P0, 3L));
    tracker.forget(List.of(P0));

    assertThat(ask(tracker, 4, 0)).containsEntry(P0, new OffsetAndMetadata(4));
  }
}
