package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.state.StateRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncStateCaptureTest {

  @Test
  void shouldServeCommittedCursorsAndHoldWritesAsPending() {
    List<StateRow> committed = List.of(new StateRow("t", "5", 2));
    SyncStateCapture capture = new SyncStateCapture("cq_state", committed);

    capture.write("cq_state", List.of(new StateRow("t", "9", 3), new StateRow("u", "1", 1)));

    assertThat(capture.read("cq_state")).isEqualTo(committed);
    assertThat(capture.seal())
        .containsExactlyInAnyOrder(new StateRow("t", "9", 3), new StateRow("u", "1", 1));
  }

  @Test
  void shouldKeepTheHighestVersionPerKey() {
    SyncStateCapture capture = new SyncStateCapture("cq_state", List.of());
    capture.write("cq_state", List.of(new StateRow("t", "9", 4)));
    capture.write("cq_state", List.of(new StateRow("t", "7", 3)));

    assertThat(capture.seal()).containsExactly(new StateRow("t", "9", 4));
  }

  @Test
  void shouldNumberUnversionedRowsAboveTheCommittedAndPendingVersions() {
    SyncStateCapture capture =
        new SyncStateCapture(
            "cq_state", List.of(new StateRow("t", "5", 5), new StateRow("u", "1", 1)));
    capture.write("cq_state", List.of(new StateRow("u", "3", 3)));

    List<StateRow> stored =
        capture.writeUnversioned(
            "cq_state",
            List.of(
                StateRow.of("t", "9", null),
                StateRow.of("u", "4", null),
                StateRow.of("n", "1", null)));

    assertThat(stored)
        .containsExactly(
            new StateRow("t", "9", 6), new StateRow("u", "4", 4), new StateRow("n", "1", 1));
    assertThat(capture.read("cq_state"))
        .as("pending rows stay invisible to reads")
        .containsExactly(new StateRow("t", "5", 5), new StateRow("u", "1", 1));
    assertThat(capture.seal())
        .containsExactlyInAnyOrder(
            new StateRow("t", "9", 6), new StateRow("u", "4", 4), new StateRow("n", "1", 1));
  }

  @Test
  void shouldKnowOnlyItsOwnStateTable() {
    SyncStateCapture capture = new SyncStateCapture("cq_state", List.of());

    assertThat(capture.exists("cq_state")).isTrue();
    assertThat(capture.exists("other")).isFalse();
  }

  @Test
  void shouldRefuseWritesAfterTheSyncEnded() {
    SyncStateCapture capture = new SyncStateCapture("cq_state", List.of());
    capture.seal();

    assertThatThrownBy(() -> capture.write("cq_state", List.of(new StateRow("t", "1", 1))))
        .hasMessageContaining("has ended");
    assertThatThrownBy(
            () -> capture.writeUnversioned("cq_state", List.of(StateRow.of("t", "1", null))))
        .hasMessageContaining("has ended");
  }

  @Test
  void shouldRefuseAnotherStateTable() {
    SyncStateCapture capture = new SyncStateCapture("cq_state", List.of());

    assertThatThrownBy(() -> capture.read("other")).hasMessageContaining("state.table.name");
  }
}
