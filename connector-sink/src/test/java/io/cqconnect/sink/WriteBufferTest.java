package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import io.cqconnect.plugin.proto.v3.Write;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WriteBufferTest {

  private final TableShape items =
      new TableShapes(WriteMode.OVERWRITE, PkMode.DEFAULT, new ConnectToArrow())
          .shapeFor(
              "items",
              new TestRecords("items", "items").mapper.valueSchema(),
              new TestRecords("items", "items").mapper.keySchema());

  private WriteOp.Insert insert(int rows, int bytes) {
    return new WriteOp.Insert(items, ByteString.copyFrom(new byte[bytes]), rows);
  }

  @Test
  void shouldBeFullWhenOneTableReachesTheRowOrByteLimit() {
    WriteBuffer buffer = new WriteBuffer();
    buffer.add(insert(3, 10), 0);
    buffer.add(new WriteOp.RecordDelete("other", Write.Request.getDefaultInstance()), 0);

    assertThat(buffer.full(4, 100)).isFalse();
    buffer.add(insert(1, 10), 0);
    assertThat(buffer.full(4, 100)).isTrue();
    assertThat(buffer.full(100, 20)).isTrue();
    assertThat(buffer.rowsByTable()).containsEntry("items", 4L).containsEntry("other", 0L);
  }

  @Test
  void shouldMeasureAgeFromTheOldestQueuedOperation() {
    WriteBuffer buffer = new WriteBuffer();
    assertThat(buffer.ageNanos(1_000)).isZero();
    buffer.add(insert(1, 1), 100);
    buffer.add(insert(1, 1), 500);

    assertThat(buffer.ageNanos(1_000)).isEqualTo(900);
    buffer.clearData();
    assertThat(buffer.ageNanos(1_000)).isZero();
  }

  @Test
  void shouldReplayEverythingWhenMarkedUnsentAfterAFailedStream() {
    WriteBuffer buffer = new WriteBuffer();
    buffer.add(insert(1, 1), 0);
    buffer.markSent();
    buffer.add(insert(2, 1), 0);

    assertThat(buffer.unsent()).hasSize(1);
    buffer.markAllUnsent();
    assertThat(buffer.unsent()).hasSize(2);
  }

  @Test
  void shouldKeepStaleDeletesWhenTheDataIsConfirmed() {
    WriteBuffer buffer = new WriteBuffer();
    buffer.add(insert(1, 1), 0);
    buffer.addStaleDelete(new WriteOp.StaleDelete("items", "src", Instant.EPOCH), 5);

    buffer.clearData();

    assertThat(buffer.isEmpty()).isFalse();
    assertThat(buffer.hasData()).isFalse();
    assertThat(buffer.staleDeletes()).hasSize(1);
    assertThat(buffer.ageNanos(10)).isEqualTo(10);
    buffer.clearStaleDeletes();
    assertThat(buffer.isEmpty()).isTrue();
  }
}
