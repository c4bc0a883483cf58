package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

class DurableOffsetsTest {

  /** An offset store as the task sees it: what the worker has written so far. */
  private static final class Store implements OffsetStorageReader {
    final Map<Map<String, Object>, Map<String, Object>> written = new HashMap<>();
    final AtomicInteger reads = new AtomicInteger();

    void cursor(String key, String value, long version) {
      written.put(
          CursorOffset.partition("src", "cq_state", key),
          new CursorOffset("src", "cq_state", key, value, version).offset());
    }

    void index(int task, List<String> keys) {
      written.put(KeyIndex.partition("src", "cq_state", task), KeyIndex.offset(keys));
    }

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      return offsets(List.of(partition)).get(partition);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(
        Collection<Map<String, T>> partitions) {
      reads.incrementAndGet();
      Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
      for (Map<String, T> p : partitions) {
        result.put(p, written.get((Map<String, Object>) (Map<String, ?>) p));
      }
      return result;
    }
  }

  private final Store store = new Store();
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
