package io.cqconnect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartToolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldFindTheStateKeyCursorWhenReadingTheOffsetsApiAnswer() throws Exception {
    JsonNode offsets =
        JSON.readTree(
            "{\"offsets\":["
                + "{\"partition\":{\"v\":1,\"source\":\"cq-demo\",\"state_table\":\"t\",\"index\":0},"
                + "\"offset\":{\"keys\":\"demo_events\"}},"
                + "{\"partition\":{\"v\":1,\"source\":\"cq-demo\",\"state_table\":\"t\",\"key\":\"demo_events\"},"
                + "\"offset\":{\"value\":\"2026-01-01T00:00:50Z\",\"version\":5}}]}");
    assertThat(SyncWatcher.cursorIn(offsets, "demo_events"))
        .isEqualTo(new SyncWatcher.Cursor("2026-01-01T00:00:50Z", 5));
    assertThat(SyncWatcher.cursorIn(offsets, "other")).isNull();
    assertThat(SyncWatcher.cursorIn(JSON.readTree("{}"), "demo_events")).isNull();
  }

  @Test
  void shouldKeepCommitOrderWhenCollectingCursorsFromTheStateTopic() throws Exception {
    List<JsonNode> records =
        List.of(
            JSON.readTree("{\"key\":\"demo_events\",\"value\":\"a\",\"version\":5}"),
            JSON.readTree("{\"key\":\"other\",\"value\":\"x\",\"version\":1}"),
            JSON.readTree("{\"key\":\"demo_events\",\"value\":\"b\",\"version\":10}"));
    assertThat(SyncWatcher.cursors(records, "demo_events"))
        .containsExactly(new SyncWatcher.Cursor("a", 5), new SyncWatcher.Cursor("b", 10));
  }

  @Test
  void shouldReadTheMirroredStateTableWhenItExists(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("state.db");
    StateTableReader reader = new StateTableReader(url, "cq_state_demo");
    assertThat(reader.read()).isEmpty();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE cq_state_demo (key TEXT PRIMARY KEY, value TEXT, version INTEGER)");
      s.execute("INSERT INTO cq_state_demo VALUES ('demo_events', '2026-01-01T00:00:50Z', 5)");
    }
    assertThat(reader.read())
        .containsEntry("demo_events", new StateTableReader.Row("2026-01-01T00:00:50Z", 5));
    assertThatThrownBy(() -> new StateTableReader(url, "x; drop table y"))
        .hasMessageContaining("must be letters, digits and '_'");
  }

  @Test
  void shouldQuoteTagValuesLikeKafkasJmxReporterWhenTheyHaveSpecialCharacters() {
    assertThat(JmxProbe.jmxValue("cq-demo")).isEqualTo("cq-demo");
    assertThat(JmxProbe.jmxValue("a,b")).isEqualTo("\"a,b\"");
  }

  @Test
  void shouldExitWithUsageStatusWhenArgumentsAreWrong() throws Exception {
    assertThat(QuickstartTool.run(List.of())).isEqualTo(2);
    assertThat(QuickstartTool.run(List.of("fly"))).isEqualTo(2);
    assertThat(QuickstartTool.run(List.of("watch", "--rest", "http://127.0.0.1:1"))).isEqualTo(2);
    assertThat(QuickstartTool.run(List.of("watch", "--rest"))).isEqualTo(2);
    assertThat(QuickstartTool.flags(List.of("--a", "1", "--b", "x")))
        .containsEntry("a", "1")
        .containsEntry("b", "x");
  }

  @Test
  void shouldGiveUpWithStatusOneWhenNoWorkerAnswers() throws Exception {
    assertThat(QuickstartTool.run(List.of("wait-rest", "http://127.0.0.1:1", "1"))).isEqualTo(1);
  }
}
