package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DurableOffsetsTest {

  private final FakeOffsetStore store = new FakeOffsetStore("src", "cq_state");
  private final DurableOffsets durable = new DurableOffsets("src", "cq_state", 2, store);

  @Test
  void shouldNotCountACursorAsStoredBeforeTheWorkerWroteItAndTheTaskIndex() {
    List<StateRow> sync = List.of(new StateRow("t1", "100", 7));

    assertThat(durable.stored(sync)).as("nothing written yet").isFalse();
    store.cursor("t1", "100", 7);
    assertThat(durable.stored(sync))
        .as("cursor written, index not yet: a restart could not find the key")
        .isFalse();
    store.index(0, List.of("t1"));
    assertThat(durable.stored(sync)).as("only another task's index names the key").isFalse();
    store.index(2, List.of("t0", "t1"));
    assertThat(durable.stored(sync)).isTrue();
  }

  @Test
  void shouldWaitForTheSyncsVersionWhenAnOlderCursorIsStored() {
    store.index(2, List.of("t1"));
    store.cursor("t1", "50", 6);

    assertThat(durable.stored(List.of(new StateRow("t1", "100", 7)))).isFalse();
    store.cursor("t1", "150", 9);
    assertThat(durable.stored(List.of(new StateRow("t1", "100", 7))))
        .as("a higher version covers it")
        .isTrue();
  }

  @Test
  void shouldNotReadTheStoreForASyncWithoutCursors() {
    assertThat(durable.stored(List.of())).isTrue();
    assertThat(store.reads.get()).isZero();
  }

  @Test
  void shouldSpaceTheReadsOfAWaitingSyncAndReadTheNextSyncAtOnce() {
    AtomicLong now = new AtomicLong(1_000);
    DurableOffsets paced = new DurableOffsets("src", "cq_state", 2, store, now::get);
    List<StateRow> sync = List.of(new StateRow("t1", "100", 7));
    long ms = 1_000_000L;

    assertThat(paced.check(sync)).isFalse();
    assertThat(store.reads.get()).as("the first check reads").isEqualTo(1);
    now.addAndGet(99 * ms);
    assertThat(paced.check(sync)).isFalse();
    assertThat(store.reads.get()).as("not due before 100 ms").isEqualTo(1);
    now.addAndGet(ms);
    paced.check(sync);
    assertThat(store.reads.get()).isEqualTo(2);
    now.addAndGet(199 * ms);
    paced.check(sync);
    assertThat(store.reads.get()).as("the interval doubled to 200 ms").isEqualTo(2);
    now.addAndGet(ms);
    paced.check(sync);
    assertThat(store.reads.get()).isEqualTo(3);

    // 100 checks 100 ms apart (10 s of polls): the interval grows to 2 s and stays there.
    for (int i = 0; i < 100; i++) {
      now.addAndGet(100 * ms);
      paced.check(sync);
    }
    assertThat(store.reads.get())
        .as("6 more reads in 10 s: at 0.4, 1.2, 2.8, 4.8, 6.8 and 8.8 s")
        .isEqualTo(9);

    store.cursor("t1", "100", 7);
    store.index(2, List.of("t1"));
    now.addAndGet(DurableOffsets.MAX_INTERVAL_NANOS);
    assertThat(paced.check(sync)).as("stored, found at the next due read").isTrue();

    List<StateRow> next = List.of(new StateRow("t1", "200", 8));
    int before = store.reads.get();
    assertThat(paced.check(next)).isFalse();
    assertThat(store.reads.get()).as("the next sync is read at once").isEqualTo(before + 1);
  }
}
