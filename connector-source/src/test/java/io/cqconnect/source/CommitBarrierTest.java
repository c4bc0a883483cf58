package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CommitBarrierTest {

  private static final List<StateRow> CURSOR = List.of(new StateRow("t", "10", 3));

  private static SyncRecord data(long generation) {
    return new SyncRecord(
        generation, SyncRecord.Kind.DATA, null, null, "t", null, null, null, "row", null, null);
  }

  private static SyncRecord state(long generation) {
    return new SyncRecord(
        generation, SyncRecord.Kind.STATE, null, null, "s", null, null, null, "c", null, null);
  }

  @Test
  void shouldHoldCursorsUntilEveryRowOfTheSyncIsAcknowledged() {
    CommitBarrier barrier = new CommitBarrier(true);
    CompletableFuture<List<StateRow>> committed = barrier.open(1);
    SyncRecord first = data(1);
    SyncRecord second = data(1);
    barrier.emitted(first);
    barrier.emitted(second);
    barrier.end(1, CURSOR);
    barrier.acked(first);

    assertThat(barrier.readyToCommit()).isEmpty();

    barrier.acked(second);
    List<CommitBarrier.Ready> ready = barrier.readyToCommit();
    assertThat(ready).extracting(CommitBarrier.Ready::generation).containsExactly(1L);
    assertThat(ready.get(0).pending()).isEqualTo(CURSOR);
    assertThat(committed).isNotDone();
  }

  @Test
  void shouldNotCommitBeforeTheStreamEndedEvenWhenAllRowsAreAcknowledged() {
    CommitBarrier barrier = new CommitBarrier(true);
    barrier.open(1);
    SyncRecord row = data(1);
    barrier.emitted(row);
    barrier.acked(row);

    assertThat(barrier.readyToCommit()).isEmpty();
  }

  @Test
  void shouldCompleteWhenEveryStateRecordIsAcknowledged() {
    CommitBarrier barrier = new CommitBarrier(true);
    CompletableFuture<List<StateRow>> committed = barrier.open(1);
    barrier.end(1, CURSOR);
    assertThat(barrier.readyToCommit()).hasSize(1);
    SyncRecord a = state(1);
    SyncRecord b = state(1);
    barrier.emitted(a);
    barrier.emitted(b);
    barrier.acked(a);
    assertThat(committed).isNotDone();
    barrier.acked(b);
    assertThat(committed).isCompletedWithValue(CURSOR);
    assertThat(barrier.outstanding()).isZero();
  }

  @Test
  void shouldReturnEachReadyGenerationOnce() {
    CommitBarrier barrier = new CommitBarrier(true);
    barrier.open(1);
    barrier.end(1, CURSOR);
    assertThat(barrier.readyToCommit()).hasSize(1);
    assertThat(barrier.readyToCommit()).isEmpty();
  }

  @Test
  void shouldNotWaitForDataAcksInsideOneTransaction() {
    CommitBarrier barrier = new CommitBarrier(false);
    barrier.open(1);
    barrier.emitted(data(1));
    barrier.end(1, CURSOR);

    assertThat(barrier.readyToCommit())
        .extracting(CommitBarrier.Ready::generation)
        .containsExactly(1L);
  }

  @Test
  void shouldDropCursorsOfAnAbortedSync() {
    CommitBarrier barrier = new CommitBarrier(true);
    CompletableFuture<List<StateRow>> committed = barrier.open(1);
    SyncRecord row = data(1);
    barrier.emitted(row);
    barrier.abort(1, new IllegalStateException("plugin died"));
    barrier.acked(row);

    assertThat(committed).isCompletedExceptionally();
    assertThat(barrier.readyToCommit()).isEmpty();
    assertThat(barrier.outstanding()).isZero();
  }

  @Test
  void shouldCommitAGenerationWithNothingToWrite() {
    CommitBarrier barrier = new CommitBarrier(true);
    CompletableFuture<List<StateRow>> committed = barrier.open(1);
    barrier.end(1, List.of());
    assertThat(barrier.readyToCommit()).hasSize(1);
    barrier.committedWithoutRecords(1);

    assertThat(committed).isCompletedWithValue(List.of());
  }
}
