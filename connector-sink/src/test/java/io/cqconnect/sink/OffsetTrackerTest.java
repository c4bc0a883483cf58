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

  private static Map<TopicPartition, OffsetAndMetadata> ask(OffsetTracker tracker) {
    return tracker.committable(Map.of(P0, new OffsetAndMetadata(0), P1, new OffsetAndMetadata(0)));
  }

  @Test
  void shouldCommitNothingWhenRecordsAreOnlyConsumed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));

    assertThat(ask(tracker)).isEmpty();
    assertThat(tracker.hasUnconfirmed()).isTrue();
  }

  @Test
  void shouldCommitTheNextOffsetWhenConfirmed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.accept(record(0, 6));
    tracker.accept(record(1, 40));
    tracker.confirmAll();

    assertThat(ask(tracker))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(41)));
    assertThat(tracker.committable(Map.of(P1, new OffsetAndMetadata(0)))).containsOnlyKeys(P1);
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
    assertThat(ask(tracker)).containsEntry(P0, new OffsetAndMetadata(6));
  }

  @Test
  void shouldForgetPartitionsWhenClosed() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(record(0, 5));
    tracker.confirmAll();
    tracker.forget(List.of(P0));

    assertThat(ask(tracker)).isEmpty();
    assertThat(tracker.accept(record(0, 3))).isTrue();
  }

  @Test
  void shouldTrackTheOriginalPartitionWhenATransformRenamedTheTopic() {
    SinkRecord original = new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "v", 5);
    SinkRecord renamed =
        original.newRecord("renamed", 0, null, null, Schema.STRING_SCHEMA, "v", null, null);
    OffsetTracker tracker = new OffsetTracker();
    tracker.accept(renamed);
    tracker.confirmAll();

    assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(0))))
        .containsEntry(P0, new OffsetAndMetadata(6));
  }
}
