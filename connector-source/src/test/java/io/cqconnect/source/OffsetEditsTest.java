package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.config.SourceConfig;
import io.cqconnect.state.JdbcMirror;
import io.cqconnect.state.StateRow;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's edit of the connector's offsets (KIP-875): checked, then carried into the mirror. */
class OffsetEditsTest {

  private static final String TABLE = "cq_state_src";

  @TempDir Path dir;

  @Test
  void shouldCarryEditsAndResetsIntoTheMirroredTableAboveItsVersions() {
    String url = "jdbc:sqlite:" + dir.resolve("mirror.db");
    try (JdbcMirror table = new JdbcMirror(url, null, null, TABLE)) {
      table.migrate();
      table.write(List.of(new StateRow("edited", "5", 3), new StateRow("reset", "7", 1)));
    }
    Map<Map<String, ?>, Map<String, ?>> edits = new HashMap<>();
    edits.put(
        CursorOffset.partition("src", TABLE, "edited"),
        new CursorOffset("src", TABLE, "edited", "9", 0).offset());
    edits.put(CursorOffset.partition("src", TABLE, "reset"), null);
    edits.put(KeyIndex.partition("src", TABLE, 0), KeyIndex.offset(List.of("edited", "reset")));

    assertThat(OffsetEdits.apply(config(url), edits)).isTrue();

    try (JdbcMirror table = new JdbcMirror(url, null, null, TABLE)) {
      assertThat(table.read())
          .containsExactlyInAnyOrder(new StateRow("edited", "9", 4), new StateRow("reset", "", 2));
    }
  }

  @Test
  void shouldAcceptAValidEditWithoutAMirror() {
    Map<Map<String, ?>, Map<String, ?>> edits = new HashMap<>();
    edits.put(
        CursorOffset.partition("src", TABLE, "k"),
        new CursorOffset("src", TABLE, "k", "1", 2).offset());

    assertThat(OffsetEdits.apply(config(null), edits)).isTrue();
  }

  @Test
  void shouldNameWhatIsWrongWithARejectedEdit() {
    Map<Map<String, ?>, Map<String, ?>> foreign = new HashMap<>();
    foreign.put(Map.of("file", "x.csv"), Map.of("position", 1));
    assertThatThrownBy(() -> OffsetEdits.apply(config(null), foreign))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("Offset partition {file=x.csv} is not one of this connector's");

    Map<Map<String, ?>, Map<String, ?>> otherSource = new HashMap<>();
    otherSource.put(
        CursorOffset.partition("aws", TABLE, "k"),
        new CursorOffset("aws", TABLE, "k", "1", 2).offset());
    assertThatThrownBy(() -> OffsetEdits.apply(config(null), otherSource))
        .isInstanceOf(ConnectException.class)
        .hasMessage(
            "Cursor of key 'k' names source 'aws' and state table 'cq_state_src', but this"
                + " connector is source 'src' with state.table.name 'cq_state_src'");

    Map<Map<String, ?>, Map<String, ?>> badIndex = new HashMap<>();
    badIndex.put(KeyIndex.partition("src", TABLE, 0), Map.of("keys", "a,b"));
    assertThatThrownBy(() -> OffsetEdits.apply(config(null), badIndex))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("field 'keys' must be a JSON array of strings, got a,b");
  }

  @Test
  void shouldAcceptAResetOrAnEditOfTheLastSyncStartAndRejectAMalformedOne() {
    Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
    reset.put(ScheduleOffset.partition("src", 0), null);
    reset.put(
        ScheduleOffset.partition("src", 1),
        ScheduleOffset.offset(java.time.Instant.EPOCH, "tables=*;skip="));
    assertThat(OffsetEdits.apply(config(null), reset)).isTrue();

    Map<Map<String, ?>, Map<String, ?>> bad = new HashMap<>();
    bad.put(ScheduleOffset.partition("src", 0), Map.of("started_ms", "noon", "scope", ""));
    assertThatThrownBy(() -> OffsetEdits.apply(config(null), bad))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("'started_ms' must be the sync's start in epoch milliseconds");
  }

  private static SourceConfig config(String mirrorUrl) {
    Map<String, String> props = new HashMap<>();
    props.put("name", "src");
    props.put("plugin.address", "127.0.0.1:1");
    props.put("state.table.name", TABLE);
    if (mirrorUrl != null) {
      props.put("state.mirror.jdbc.url", mirrorUrl);
    }
    return new SourceConfig(props);
  }
}
