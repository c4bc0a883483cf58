package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommitBarrierTest {

  private final CommitBarrier barrier = new CommitBarrier();

  private static SyncRecord data(long generation) {
    return new SyncRecord(
        generation, SyncRecord.Kind.DATA, null, null, "t", null, null, null, "row", null, null);
  }

  private static SyncRecord state(long generation) {
    return new SyncRecord(
        generation, SyncRecord.Kind.STATE, null, null, "s", null, null, null, "c", null, null);
  }

  @Test
  void shouldCountDataAndCommitRecordsApart() {
    barrier.open(1);
    SyncRecord first = data(1);
    SyncRecord second = data(1);
    SyncRecord cursor = state(1);
    barrier.emitted(first);
    barrier.emitted(second);
    barrier.acked(first);

    assertThat(barrier.dataAcked(1)).isFalse();
    assertThat(barrier.outstanding()).isEqualTo(1);

    barrier.acked(second);
    assertThat(barrier.dataAcked(1)).isTrue();
    assertThat(barrier.commitAcked(1)).as("no commit record returned yet").isTrue();

    barrier.emitted(cursor);
    assertThat(barrier.commitAcked(1)).isFalse();
    assertThat(barrier.dataAcked(1)).isTrue();
    barrier.acked(cursor);
    assertThat(barrier.commitAcked(1)).isTrue();
    assertThat(barrier.outstanding()).isZero();
  }

  @Test
  void shouldIgnoreRecordsOfAForgottenGeneration() {
    barrier.open(1);
    SyncRecord row = data(1);
    barrier.emitted(row);
    barrier.forget(1);
    barrier.acked(row);
    barrier.open(2);
    barrier.emitted(data(1));

    assertThat(barrier.outstanding()).isZero();
    assertThat(barrier.dataAcked(1)).as("not open").isFalse();
    assertThat(barrier.commitAcked(1)).as("not open").isFalse();
    assertThat(barrier.dataAcked(2)).isTrue();
  }

  @Test
  void shouldCountAWholeBatchAsItsRecordsOneByOne() {
    barrier.open(1);
    barrier.open(2);
    SyncRecord a = data(1);
    SyncRecord b = data(1);
    SyncRecord c = state(1);
    SyncRecord d = data(2);
    SyncRecord stale = data(9);
    barrier.emitted(List.of(a, b, c, d, stale));

    assertThat(barrier.outstanding()).as("4 records of open generations").isEqualTo(4);
    assertThat(barrier.dataAcked(1)).isFalse();
    assertThat(barrier.commitAcked(1)).isFalse();
    barrier.acked(a);
    barrier.acked(b);
    assertThat(barrier.dataAcked(1)).isTrue();
    assertThat(barrier.commitAcked(1)).as("the cursor is not acked yet").isFalse();
    barrier.acked(c);
    barrier.acked(stale);
    assertThat(barrier.commitAcked(1)).isTrue();
    assertThat(barrier.dataAcked(2)).isFalse();
    assertThat(barrier.outstanding()).isEqualTo(1);
    barrier.acked(d);
    assertThat(barrier.dataAcked(2)).isTrue();
    assertThat(barrier.outstanding()).isZero();
  }

  @Test
  void shouldIgnoreTheLateAckOfABatchWhoseGenerationWasForgotten() {
    barrier.open(1);
    SyncRecord row = data(1);
    barrier.emitted(List.of(row, data(1)));
    barrier.forget(1);
    barrier.open(1);
    barrier.acked(row);

    assertThat(barrier.outstanding()).as("the reopened generation counts afresh").isZero();
    barrier.emitted(List.of(data(1)));
    assertThat(barrier.dataAcked(1)).as("the old ack does not count for the new count").isFalse();
  }
}
