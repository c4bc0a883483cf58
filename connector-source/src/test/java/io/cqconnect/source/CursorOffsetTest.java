package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class CursorOffsetTest {

  @Test
  void shouldRoundTripThroughConnectOffsetMaps() {
    CursorOffset cursor = new CursorOffset("aws", "cq_state", "table:1", "2026-01-01", 7);

    CursorOffset back = CursorOffset.fromMaps(cursor.partition(), cursor.offset());

    assertThat(back).isEqualTo(cursor);
    assertThat(cursor.partition()).containsEntry("v", 1).containsEntry("key", "table:1");
  }

  @Test
  void shouldNameTheFieldWhenAnEditedOffsetHasTheWrongShape() {
    Map<String, Object> partition = CursorOffset.partition("aws", "cq_state", "k");

    assertThatThrownBy(() -> CursorOffset.fromMaps(partition, Map.of("value", 5, "version", 1)))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("'value' must be a string");
    assertThatThrownBy(() -> CursorOffset.fromMaps(partition, Map.of("value", "5", "version", -1)))
        .hasMessageContaining("'version' must be a non-negative integer");
    assertThatThrownBy(
            () ->
                CursorOffset.fromMaps(
                    Map.of("v", 2, "key", "k"), Map.of("value", "5", "version", 1)))
        .hasMessageContaining("'v' must be 1");
  }

  @Test
  void shouldRoundTripTheKeyIndex() {
    Map<String, Object> offset = KeyIndex.offset(List.of("b", "a", "a,with,commas"));

    assertThat(KeyIndex.keys(offset)).containsExactly("a", "a,with,commas", "b");
    assertThat(KeyIndex.isIndexPartition(KeyIndex.partition("s", "t", 3))).isTrue();
    assertThat(CursorOffset.isCursorPartition(KeyIndex.partition("s", "t", 3))).isFalse();
    assertThat(KeyIndex.allPartitions("s", "t", false)).hasSize(KeyIndex.MAX_TASKS);
  }

  @Test
  void shouldRejectAnIndexThatIsNotAJsonArray() {
    assertThatThrownBy(() -> KeyIndex.keys(Map.of("keys", "not json")))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("JSON array of strings");
    assertThatThrownBy(() -> KeyIndex.keys(Map.of("keys", 5)))
        .isInstanceOf(ConnectException.class)
        .hasMessage("Cursor key index: field 'keys' must be a JSON array of strings, got 5");
  }

  @Test
  void shouldLayOutTheIndexPartitionOfATask() {
    assertThat(KeyIndex.partition("s", "t", 3))
        .containsOnly(
            Map.entry("v", 1),
            Map.entry("source", "s"),
            Map.entry("state_table", "t"),
            Map.entry("index", 3));
    assertThat(KeyIndex.legacyPartition("s", "t", 3))
        .containsExactly(
            Map.entry("v", 1),
            Map.entry("source", "s"),
            Map.entry("state_table", "t"),
            Map.entry("index", 3));
    assertThat(KeyIndex.offset(List.of("b", "a")))
        .containsExactly(Map.entry("keys", "[\"a\",\"b\"]"));
    assertThat(KeyIndex.keys(null)).isEmpty();
    assertThat(KeyIndex.allPartitions("s", "t", false).get(255)).containsEntry("index", 255);
  }
}
