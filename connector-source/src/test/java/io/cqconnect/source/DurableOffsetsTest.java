package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurableOffsetsTest {

  private final FakeOffsetStore store = new FakeOffsetStore("src", "cq_state");
  private final DurableOffsets durable =
      new DurableOffsets("src", "cq_state", 2, store, Duration.ofMillis(1));

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
  void shouldReturnOnceStoredAndStopWaitingWhenTheTaskStops() throws InterruptedException {
    List<StateRow> sync = List.of(new StateRow("t1", "100", 7));
    store.index(2, List.of("t1"));

    assertThat(durable.await(sync, () -> store.reads.get() < 5))
        .as("never written, task stopping")
        .isFalse();
    assertThat(store.reads.get()).isEqualTo(5);

    store.cursor("t1", "100", 7);
    assertThat(durable.await(sync, () -> true)).isTrue();
    assertThat(durable.await(List.of(), () -> true)).as("a sync without cursors").isTrue();
  }
}
