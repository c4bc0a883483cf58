package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateTableMirror;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Where a task's cursors come from on start: the key indexes, the offsets, the mirrored table. */
class StateLoaderTest {

  private final FakeOffsetStore offsets = new FakeOffsetStore("src", "cq_state");
  private final StateLoader loader = new StateLoader("src", "cq_state", offsets);

  @Test
  void shouldTakeTheHighestVersionPerKeyAndRemirrorWhatTheTableLacks() {
    offsets.index(0, List.of("a", "b"));
    offsets.index(3, List.of("c", "reset"));
    offsets.cursor("a", "1", 5);
    offsets.cursor("b", "2", 1);
    offsets.cursor("c", "3", 2);
    FakeMirror table =
        new FakeMirror(
            new StateRow("a", "0", 2), new StateRow("b", "20", 4), new StateRow("d", "40", 1));

    StateLoader.Loaded loaded = load(() -> table);

    assertThat(loaded.rows())
        .containsExactly(
            new StateRow("a", "1", 5),
            new StateRow("b", "20", 4),
            new StateRow("c", "3", 2),
            new StateRow("d", "40", 1));
    assertThat(loaded.tableBehind())
        .as("a is behind in the table, c missing from it")
        .containsExactly(new StateRow("a", "1", 5), new StateRow("c", "3", 2));
    assertThat(loaded.adopted())
        .as("b is ahead in the table, d only there")
        .containsExactly(
            new StateLoader.Adoption(new StateRow("b", "20", 4), new StateRow("b", "2", 1)),
            new StateLoader.Adoption(new StateRow("d", "40", 1), null));
    assertThat(loaded.adopted().get(0).describe())
        .isEqualTo("'b': table version 4 (value '20'), Connect version 1 (value '2')");
  }

  @Test
  void shouldLoadFromOffsetsAloneWithoutAMirror() {
    offsets.index(1, List.of("a", "never_stored"));
    offsets.cursor("a", "1", 5);
    offsets.cursor("unindexed", "9", 9);

    StateLoader.Loaded loaded = load(null);

    assertThat(loaded.rows()).containsExactly(new StateRow("a", "1", 5));
    assertThat(loaded.tableBehind()).isEmpty();
  }

  private StateLoader.Loaded load(Supplier<StateTableMirror> opener) {
    try (SourceMetrics metrics = new SourceMetrics("loader-test", 0);
        MirrorWriter mirror =
            new MirrorWriter(opener, Duration.ofSeconds(1), metrics, "loader-test-mirror")) {
      return loader.load(mirror);
    }
  }
}
