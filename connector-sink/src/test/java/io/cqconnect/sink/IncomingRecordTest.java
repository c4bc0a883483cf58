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
  private final IncomingRecord.SyncTimes syncTimes = new IncomingRecord.SyncTimes();

  private IncomingRecord classify(SinkRecord record, Map<String, String> renames, String fb) {
    return IncomingRecord.classify(record, renames, fb, syncTimes);
  }

  @Test
  void shouldReadTableSourceAndMicrosecondSyncTimeWhenHeadersArePresent() {
    IncomingRecord in = classify(items.row(3, 1, "a", T, "aws"), Map.of(), null);

    assertThat(in.kind()).isEqualTo(IncomingRecord.Kind.ROW);
    assertThat(in.table()).isEqualTo("items");
    assertThat(in.source()).isEqualTo("aws");
    assertThat(in.syncTime()).isEqualTo(T);
  }

  @Test
  void shouldPreferRenameThenHeaderThenTopicWhenChoosingTheTable() {
    SinkRecord withHeader = items.row(0, 1, "a", T, "aws");
    SinkRecord plain = new SinkRecord("plain.topic", 0, null, null, Schema.STRING_SCHEMA, "x", 0);

    assertThat(classify(withHeader, Map.of("aws.items", "renamed"), null).table())
        .isEqualTo("renamed");
    assertThat(classify(withHeader, Map.of("other", "renamed"), null).table()).isEqualTo("items");
    assertThat(classify(plain, Map.of(), null).table()).isEqualTo("plain.topic");
  }

  @Test
  void shouldUseTheFallbackSourceOnlyWhenTheHeaderIsMissing() {
    assertThat(classify(items.row(0, 1, "a", T, null), Map.of(), "fb").source()).isEqualTo("fb");
    assertThat(classify(items.row(0, 1, "a", T, "aws"), Map.of(), "fb").source()).isEqualTo("aws");
  }

  @Test
  void shouldTellMarkersTombstonesAndEmptyRecordsApart() {
    SinkRecord empty = new SinkRecord("t", 0, null, null, null, null, 0);

    IncomingRecord marker = classify(items.marker(9, T, "aws", true), Map.of(), null);
    assertThat(marker.kind()).isEqualTo(IncomingRecord.Kind.SYNC_END);
    assertThat(marker.incremental()).isTrue();
    assertThat(classify(items.marker(9, T, "aws", false), Map.of(), null).incremental()).isFalse();
    assertThat(classify(items.tombstone(1, 1, T, "aws"), Map.of(), null).kind())
        .isEqualTo(IncomingRecord.Kind.TOMBSTONE);
    assertThat(classify(empty, Map.of(), null).kind()).isEqualTo(IncomingRecord.Kind.IGNORED);
  }

  @Test
  void shouldReadHeadersAsTheStringConverterLeavesThem() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.CONTROL, SyncHeaders.SYNC_END);
    headers.addString(SyncHeaders.INCREMENTAL, "true");
    headers.addString(SyncHeaders.SYNC_TIME, "2024-01-31T12:00:00.123456Z");
    SinkRecord marker = new SinkRecord("t", 0, null, null, null, null, 0, null, null, headers);

    IncomingRecord in = classify(marker, Map.of(), null);

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

    assertThatThrownBy(() -> classify(record, Map.of(), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 't' partition 2 offset 17")
        .hasMessageContaining("'yesterday'");
  }

  @Test
  void shouldGiveEachRowTheSyncTimeOfItsOwnHeaderWhenConsecutiveRowsRepeatOrChangeIt() {
    Instant later = Instant.parse("2024-02-01T00:00:00.000001Z");
    SinkRecord bad = syncTimeRecord("not a time");

    assertThat(classify(items.row(0, 1, "a", T, "aws"), Map.of(), null).syncTime()).isEqualTo(T);
    assertThat(classify(items.row(1, 1, "b", T, "aws"), Map.of(), null).syncTime()).isEqualTo(T);
    assertThat(classify(items.row(2, 1, "c", later, "aws"), Map.of(), null).syncTime())
        .isEqualTo(later);
    assertThatThrownBy(() -> classify(bad, Map.of(), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("'not a time'");
    assertThat(classify(syncTimeRecord(" " + later + " "), Map.of(), null).syncTime())
        .isEqualTo(later);
    assertThatThrownBy(() -> classify(bad, Map.of(), null))
        .as("a bad header after a good one still fails")
        .isInstanceOf(DataException.class);
    assertThat(classify(items.row(3, 1, "d", T, "aws"), Map.of(), null).syncTime()).isEqualTo(T);
  }

  @Test
  void shouldTakeTheLastHeaderOfANameWhenARecordCarriesItTwice() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.TABLE, "first");
    headers.addString(SyncHeaders.SYNC_TIME, "2020-01-01T00:00:00Z");
    headers.addString(SyncHeaders.SOURCE, "aws");
    headers.addString("other", "x");
    headers.addString(SyncHeaders.TABLE, "second");
    headers.addString(SyncHeaders.SYNC_TIME, T.toString());
    headers.addString(SyncHeaders.DELETE_STALE, "false");
    SinkRecord record =
        new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "v", 1, null, null, headers);

    IncomingRecord in = classify(record, Map.of(), null);

    assertThat(in.table()).isEqualTo("second");
    assertThat(in.syncTime()).isEqualTo(T);
    assertThat(in.source()).isEqualTo("aws");
    assertThat(in.deleteStale()).isFalse();
    assertThat(in.kind()).isEqualTo(IncomingRecord.Kind.ROW);
  }

  private static SinkRecord syncTimeRecord(String text) {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.SYNC_TIME, text);
    return new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "v", 1, null, null, headers);
  }
}
