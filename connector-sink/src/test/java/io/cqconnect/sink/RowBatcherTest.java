package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RowBatcherTest {

  private static final Instant T = Instant.parse("2024-02-03T04:05:06.000007Z");

  private final RootAllocator allocator = new RootAllocator();
  private final ConnectToArrow converter = new ConnectToArrow();
  private final TestRecords items = new TestRecords("items", "items");
  private final TableShapes shapes =
      new TableShapes(WriteMode.OVERWRITE, PkMode.DEFAULT, converter);
  private final List<WriteOp.Insert> sealed = new ArrayList<>();
  private final List<SinkRecord> errant = new ArrayList<>();

  private RowBatcher batcher(int maxRows) {
    return batcher(new RowBatcher.Limits(maxRows, Long.MAX_VALUE, Integer.MAX_VALUE));
  }

  private RowBatcher batcher(RowBatcher.Limits limits) {
    return new RowBatcher(converter, allocator, limits, (r, e) -> errant.add(r), sealed::add);
  }

  /** The encoded size of one run of {@code rows} rows with long names. */
  private int encodedSize(int rows) {
    RowBatcher probe = batcher(rows);
    for (int i = 0; i < rows; i++) {
      add(probe, items.row(i, i, "n".repeat(200), T, "s"), "s");
    }
    probe.sealAll();
    int size = sealed.get(sealed.size() - 1).record().size();
    sealed.clear();
    return size;
  }

  private void add(RowBatcher batcher, SinkRecord record, String source) {
    TableShape shape =
        shapes.shapeFor("items", ((Struct) record.value()).schema(), record.keySchema());
    batcher.add(shape, (Struct) record.value(), source, T, record);
  }

  private List<Long> ids(WriteOp.Insert insert) {
    List<Long> ids = new ArrayList<>();
    try (VectorSchemaRoot root = ArrowIpc.recordFromBytes(insert.record(), allocator)) {
      BigIntVector id = (BigIntVector) root.getVector("id");
      for (int i = 0; i < root.getRowCount(); i++) {
        ids.add(id.get(i));
      }
    }
    return ids;
  }

  @AfterEach
  void close() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldFillTheCliColumnsOfEveryRowWhenEncoding() {
    RowBatcher batcher = batcher(10);
    add(batcher, items.row(0, 1, "a", T, "s"), "s");
    add(batcher, items.row(1, 2, "b", T, null), null);
    batcher.sealAll();

    assertThat(sealed).hasSize(1);
    try (VectorSchemaRoot root = ArrowIpc.recordFromBytes(sealed.get(0).record(), allocator)) {
      TimeStampMicroTZVector time =
          (TimeStampMicroTZVector) root.getVector(CqMetadata.CQ_SYNC_TIME);
      VarCharVector source = (VarCharVector) root.getVector(CqMetadata.CQ_SOURCE_NAME);
      assertThat(time.get(1)).isEqualTo(T.getEpochSecond() * 1_000_000L + 7);
      assertThat(new String(source.get(0))).isEqualTo("s");
      assertThat(source.isNull(1)).isTrue();
      assertThat(root.getSchema().getCustomMetadata())
          .containsEntry(CqMetadata.TABLE_NAME, "items");
    }
  }

  @Test
  void shouldSealARunWhenItReachesTheRowLimit() {
    RowBatcher batcher = batcher(2);
    for (int i = 1; i <= 5; i++) {
      add(batcher, items.row(i, i, "r", T, "s"), "s");
    }
    assertThat(batcher.pendingRows()).isEqualTo(1);
    batcher.sealAll();

    assertThat(sealed).extracting(WriteOp.Insert::rows).containsExactly(2, 2, 1);
    assertThat(ids(sealed.get(2))).containsExactly(5L);
  }

  @Test
  void shouldSealTheRunWhenTheTableSchemaChanges() {
    RowBatcher batcher = batcher(10);
    TestRecords wider = new TestRecords("items", "items", "note");
    add(batcher, items.row(0, 1, "a", T, "s"), "s");
    add(batcher, wider.row(1, 2, "b", T, "s", "n"), "s");
    batcher.sealAll();

    assertThat(sealed).hasSize(2);
    assertThat(sealed.get(1).shape().schema().findField("note")).isNotNull();
  }

  @Test
  void shouldReportOnlyTheBadRowsAndEncodeTheOthersWhenARowCannotBeConverted() {
    RowBatcher batcher = batcher(10);
    SinkRecord bad = items.row(1, 2, "b", T, "s");
    ((Struct) bad.value()).put(CqMetadata.CQ_ID, "zzz");
    add(batcher, items.row(0, 1, "a", T, "s"), "s");
    add(batcher, bad, "s");
    add(batcher, items.row(2, 3, "c", T, "s"), "s");
    batcher.sealAll();

    assertThat(errant).containsExactly(bad);
    assertThat(sealed).hasSize(1);
    assertThat(ids(sealed.get(0))).containsExactly(1L, 3L);
  }

  @Test
  void shouldSplitAnInsertLargerThanTheByteLimitUntilEachPartFits() {
    long limit = encodedSize(25);
    RowBatcher batcher = batcher(new RowBatcher.Limits(1000, limit, Integer.MAX_VALUE));
    for (int i = 0; i < 100; i++) {
      add(batcher, items.row(i, i, "n".repeat(200), T, "s"), "s");
    }
    batcher.sealAll();

    assertThat(sealed).isNotEmpty().allMatch(insert -> insert.record().size() <= limit);
    assertThat(sealed.stream().mapToInt(WriteOp.Insert::rows).sum()).isEqualTo(100);
    List<Long> all = new ArrayList<>();
    sealed.forEach(insert -> all.addAll(ids(insert)));
    assertThat(all).hasSize(100).isSorted().startsWith(0L).endsWith(99L);
  }

  @Test
  void shouldSealARunByTheTablesMeasuredBytesPerRow() {
    long limit = encodedSize(10);
    RowBatcher batcher = batcher(new RowBatcher.Limits(1000, limit, Integer.MAX_VALUE));
    add(batcher, items.row(0, 0, "n".repeat(200), T, "s"), "s");
    batcher.sealAll(); // measures the table's bytes per row
    sealed.clear();
    for (int i = 1; i <= 30; i++) {
      add(batcher, items.row(i, i, "n".repeat(200), T, "s"), "s");
    }

    assertThat(sealed).isNotEmpty();
    assertThat(batcher.pendingRows()).isLessThan(30);
  }

  @Test
  void shouldReportARowTooLargeForAnyMessageAndWriteTheOthers() {
    SinkRecord huge = items.row(1, 1, "h".repeat(20_000), T, "s");
    RowBatcher batcher = batcher(new RowBatcher.Limits(1000, Long.MAX_VALUE, 10_000));
    add(batcher, items.row(0, 0, "small", T, "s"), "s");
    add(batcher, huge, "s");
    add(batcher, items.row(2, 2, "small", T, "s"), "s");
    batcher.sealAll();

    assertThat(errant).containsExactly(huge);
    List<Long> written = new ArrayList<>();
    sealed.forEach(insert -> written.addAll(ids(insert)));
    assertThat(written).containsExactly(0L, 2L);
    assertThat(sealed).allMatch(insert -> insert.record().size() <= 10_000 - 1024);
  }
}
