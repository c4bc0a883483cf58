package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.plugin.SyncHeaders;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class IncomingRecordTest {

  private static final Instant T = Instant.parse("2024-01-31T12:00:00.123456Z");
  private final TestRecords items = new TestRecords("items", "aws.items");

  @Test
  void shouldReadTableSourceAndMicrosecondSyncTimeWhenHeadersArePresent() {
    IncomingRecord in = IncomingRecord.classify(items.row(3, 1, "a", T, "aws"), Map.of(), null);

    assertThat(in.kind()).isEqualTo(IncomingRecord.Kind.ROW);
    assertThat(in.table()).isEqualTo("items");
    assertThat(in.source()).isEqualTo("aws");
    assertThat(in.syncTime()).isEqualTo(T);
  }

  @Test
  void shouldPreferRenameThenHeaderThenTopicWhenChoosingTheTable() {
    SinkRecord withHeader = items.row(0, 1, "a", T, "aws");
    SinkRecord plain = new SinkRecord("plain.topic", 0, null, null, Schema.STRING_SCHEMA, "x", 0);

    assertThat(IncomingRecord.classify(withHeader, Map.of("aws.items", "renamed"), null).table())
        .isEqualTo("renamed");
    assertThat(IncomingRecord.classify(withHeader, Map.of("other", "renamed"), null).table())
        .isEqualTo("items");
    assertThat(IncomingRecord.classify(plain, Map.of(), null).table()).isEqualTo("plain.topic");
  }

  @Test
  void shouldUseTheFallbackSourceOnlyWhenTheHeaderIsMissing() {
    assertThat(IncomingRecord.classify(items.row(0, 1, "a", T, null), Map.of(), "fb").source())
        .isEqualTo("fb");
    assertThat(IncomingRecord.classify(items.row(0, 1, "a", T, "aws"), Map.of(), "fb").source())
        .isEqualTo("aws");
  }

  @Test
  void shouldTellMarkersTombstonesAndEmptyRecordsApart() {
    SinkRecord empty = new SinkRecord("t", 0, null, null, null, null, 0);

    IncomingRecord marker =
        IncomingRecord.classify(items.marker(9, T, "aws", true), Map.of(), null);
    assertThat(marker.kind()).isEqualTo(IncomingRecord.Kind.SYNC_END);
    assertThat(marker.incremental()).isTrue();
    assertThat(
            IncomingRecord.classify(items.marker(9, T, "aws", false), Map.of(), null).incremental())
        .isFalse();
    assertThat(IncomingRecord.classify(items.tombstone(1, 1, T, "aws"), Map.of(), null).kind())
        .isEqualTo(IncomingRecord.Kind.TOMBSTONE);
    assertThat(IncomingRecord.classify(empty, Map.of(), null).kind())
        .isEqualTo(IncomingRecord.Kind.IGNORED);
  }

  @Test
  void shouldReadHeadersAsTheStringConverterLeavesThem() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.CONTROL, SyncHeaders.SYNC_END);
    headers.addString(SyncHeaders.INCREMENTAL, "true");
    headers.addString(SyncHeaders.SYNC_TIME, "2024-01-31T12:00:00.123456Z");
    SinkRecord marker = new SinkRecord("t", 0, null, null, null, null, 0, null, null, headers);

    IncomingRecord in = IncomingRecord.classify(marker, Map.of(), null);

    assertThat(in.kind()).isEqualTo(IncomingRecord.Kind.SYNC_END);
    assertThat(in.incremental()).isTrue();
    assertThat(in.syncTime()).isEqualTo(T);
  }

  @Test
  void shouldNameTopicPartitionAndOffsetWhenTheSyncTimeIsUnreadable() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.SYNC_TIME, "yesterday");
    SinkRecord record =
        new SinkRecord("t", 2, null, null, Schema.STRING_SCHEMA, "v", 17, null, null, headers);

    assertThatThrownBy(() -> IncomingRecord.classify(record, Map.of(), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 't' partition 2 offset 17")
        .hasMessageContaining("'yesterday'");
  }
}
