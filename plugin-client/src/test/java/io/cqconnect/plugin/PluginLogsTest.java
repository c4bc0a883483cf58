package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class PluginLogsTest {

  @Test
  void shouldRenderZerologLineWithContextFields() {
    var node =
        PluginLogs.parse(
            "{\"level\":\"info\",\"module\":\"test-source\",\"table\":\"test_some_table\","
                + "\"resources\":5,\"time\":\"2026-11-25T14:00:00Z\",\"message\":\"table sync finished\"}");

    assertThat(PluginLogs.render(node))
        .isEqualTo("table sync finished module=test-source table=test_some_table resources=5");
  }

  @Test
  void shouldRenderWinstonLineWithoutTimestamp() {
    var node =
        PluginLogs.parse(
            "{\"level\":\"warn\",\"message\":\"slow\",\"timestamp\":\"2026\",\"extra\":{\"a\":1}}");

    assertThat(PluginLogs.render(node)).isEqualTo("slow extra={\"a\":1}");
  }

  @Test
  void shouldMapGoAndJsLevelNames() {
    assertThat(PluginLogs.level("trace")).isEqualTo(Level.TRACE);
    assertThat(PluginLogs.level("silly")).isEqualTo(Level.TRACE);
    assertThat(PluginLogs.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(PluginLogs.level("verbose")).isEqualTo(Level.DEBUG);
    assertThat(PluginLogs.level("info")).isEqualTo(Level.INFO);
    assertThat(PluginLogs.level("WARN")).isEqualTo(Level.WARN);
    assertThat(PluginLogs.level("warning")).isEqualTo(Level.WARN);
    assertThat(PluginLogs.level("error")).isEqualTo(Level.ERROR);
    assertThat(PluginLogs.level("fatal")).isEqualTo(Level.ERROR);
    assertThat(PluginLogs.level("panic")).isEqualTo(Level.ERROR);
    assertThat(PluginLogs.level("something")).isEqualTo(Level.INFO);
  }

  @Test
  void shouldTreatNonJsonLinesAsPlainText() {
    assertThat(PluginLogs.parse("panic: runtime error")).isNull();
    assertThat(PluginLogs.parse("{not json")).isNull();
    assertThat(PluginLogs.parse("[1,2]")).isNull();
  }

  @Test
  void shouldKeepOnlyTheLastLinesMarkingStderr() {
    PluginLogs logs = new PluginLogs("unit");
    IntStream.range(0, 60)
        .forEach(i -> logs.line("{\"level\":\"debug\",\"message\":\"m" + i + "\"}", false));
    logs.line("fatal error: boom", true);
    logs.line("   ", false);

    assertThat(logs.recent()).hasSize(PluginLogs.RECENT_LINES);
    assertThat(logs.recent().get(0)).isEqualTo("{\"level\":\"debug\",\"message\":\"m11\"}");
    assertThat(logs.recent().get(PluginLogs.RECENT_LINES - 1))
        .isEqualTo("[stderr] fatal error: boom");
    assertThat(logs.tail(2))
        .isEqualTo("{\"level\":\"debug\",\"message\":\"m59\"}\n  [stderr] fatal error: boom");
  }

  @Test
  void shouldSayNoOutputWhenNothingWasPrinted() {
    assertThat(new PluginLogs("quiet").tail(5)).isEqualTo("(no output)");
  }

  @Test
  void shouldKeepForgedLinesOnOneEscapedLine() {
    PluginLogs logs = new PluginLogs("unit");

    logs.line("boom\u001b[31m\r\n[main] ERROR forged", true);
    logs.line("{\"level\":\"info\",\"message\":\"a\\nb\"}", false);

    assertThat(logs.recent())
        .containsExactly(
            "[stderr] boom\\u001b[31m\\r\\n[main] ERROR forged",
            "{\"level\":\"info\",\"message\":\"a\\nb\"}");
  }

  @Test
  void shouldCapTheTailForErrorMessagesKeepingTheNewestLines() {
    PluginLogs logs = new PluginLogs("unit");
    String big = "y".repeat(PluginText.MAX_ERROR_CHARS - 10);
    logs.line("old " + big, false);
    logs.line("new " + big, false);

    assertThat(logs.tail(10)).isEqualTo("new " + big);
  }
}
