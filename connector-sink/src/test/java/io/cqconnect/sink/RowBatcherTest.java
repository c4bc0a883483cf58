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
    return new RowBatcher(converter, allocator, maxRows, (r, e) -> errant.add(r), sealed::add);
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
}
