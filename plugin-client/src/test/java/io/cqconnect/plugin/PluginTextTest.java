package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginTextTest {

  @Test
  void shouldEscapeLineBreaksSoAPluginCannotForgeLogLines() {
    assertThat(PluginText.line("done\n2026-12-02 INFO [worker] admin password accepted\r"))
        .isEqualTo("done\\n2026-12-02 INFO [worker] admin password accepted\\r");
  }

  @Test
  void shouldEscapeTerminalSequencesAndUnicodeLineSeparators() {
    assertThat(PluginText.line("\u001b[2Jcleared\u2028next\u0085\u0000"))
        .isEqualTo("\\u001b[2Jcleared\\u2028next\\u0085\\u0000");
  }

  @Test
  void shouldKeepOrdinaryTextAsIs() {
    assertThat(PluginText.line("table sync finished table=ü_table rows=5\tok"))
        .isEqualTo("table sync finished table=ü_table rows=5\\tok");
  }

  @Test
  void shouldCutLongTextAndSayHowMuchWasCut() {
    String text = "x".repeat(PluginText.MAX_ERROR_CHARS + 10);

    String safe = PluginText.forError(text);

    assertThat(safe)
        .startsWith("x".repeat(PluginText.MAX_ERROR_CHARS))
        .endsWith("... (10 more characters cut)")
        .hasSize(PluginText.MAX_ERROR_CHARS + "... (10 more characters cut)".length());
  }

  @Test
  void shouldTurnNullIntoEmptyText() {
    assertThat(PluginText.line(null)).isEmpty();
  }
}
