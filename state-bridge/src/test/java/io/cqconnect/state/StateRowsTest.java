package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateRowsTest {

  @Test
  void shouldKeepHighestVersionPerKeyWhenRowsRepeatAKey() {
    List<StateRow> rows =
        List.of(
            new StateRow("a", "1", 1),
            new StateRow("b", "x", 7),
            new StateRow("a", "3", 3),
            new StateRow("a", "2", 2));

    assertThat(StateRows.latestPerKey(rows))
        .containsExactly(new StateRow("a", "3", 3), new StateRow("b", "x", 7));
  }

  @Test
  void shouldLetTheLaterRowWinWhenVersionsTie() {
    List<StateRow> rows = List.of(new StateRow("k", "first", 4), new StateRow("k", "second", 4));

    assertThat(StateRows.latestPerKey(rows)).containsExactly(new StateRow("k", "second", 4));
  }

  @Test
  void shouldCompareVersionsAsUnsignedWhenAboveLongMax() {
    long huge = Long.parseUnsignedLong("18446744073709551615"); // 2^64-1, negative as a long
    StateRow big = new StateRow("k", "big", huge);
    StateRow small = new StateRow("k", "small", 5);

    assertThat(StateRows.latestPerKey(List.of(big, small))).containsExactly(big);
    assertThat(big.versionString()).isEqualTo("18446744073709551615");
    assertThat(StateRows.replaces(small, big)).isFalse();
  }

  @Test
  void shouldCountAMissingVersionAsZero() {
    StateRow legacy = StateRow.of("k", "old", null);

    assertThat(legacy.version()).isZero();
    assertThat(StateRows.merge(List.of(new StateRow("k", "new", 1)), List.of(legacy)))
        .containsExactly(new StateRow("k", "new", 1));
  }

  @Test
  void shouldGiveTiesToTheLaterSourceWhenMerging() {
    List<StateRow> offsets =
        List.of(new StateRow("k", "from-offsets", 2), new StateRow("o", "1", 1));
    List<StateRow> mirror = List.of(new StateRow("k", "from-mirror", 2), new StateRow("m", "9", 9));

    assertThat(StateRows.merge(offsets, mirror))
        .containsExactly(
            new StateRow("k", "from-mirror", 2),
            new StateRow("o", "1", 1),
            new StateRow("m", "9", 9));
  }

  @Test
  void shouldNumberAnUnversionedRowOneAboveTheHeldVersionOrOneForANewKey() {
    StateRow written = StateRow.of("k", "u", null);

    assertThat(StateRows.asNewest(written, new StateRow("k", "held", 5)))
        .isEqualTo(new StateRow("k", "u", 6));
    assertThat(StateRows.asNewest(written, null)).isEqualTo(new StateRow("k", "u", 1));
  }

  @Test
  void shouldKeepTheUnsignedMaximumWhenAnUnversionedRowFollowsIt() {
    long max = Long.parseUnsignedLong("18446744073709551615");
    StateRow held = new StateRow("k", "held", max);

    StateRow stored = StateRows.asNewest(StateRow.of("k", "u", null), held);

    assertThat(stored).isEqualTo(new StateRow("k", "u", max));
    assertThat(StateRows.replaces(stored, held)).as("a tie goes to the later row").isTrue();
  }

  @Test
  void shouldLetTheLastUnversionedRowOfABatchWin() {
    List<StateRow> written =
        List.of(
            StateRow.of("a", "a1", null),
            StateRow.of("b", "b1", null),
            StateRow.of("a", "a2", null));

    List<StateRow> stored = StateRows.asNewest(written, Map.of("a", new StateRow("a", "old", 9)));

    assertThat(stored)
        .containsExactly(
            new StateRow("a", "a1", 10), new StateRow("b", "b1", 1), new StateRow("a", "a2", 11));
    assertThat(StateRows.latestPerKey(stored))
        .containsExactly(new StateRow("a", "a2", 11), new StateRow("b", "b1", 1));
  }

  @Test
  void shouldRejectANullKey() {
    assertThatThrownBy(() -> new StateRow(null, "v", 1)).isInstanceOf(NullPointerException.class);
  }
}
