package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.util.List;
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
}
