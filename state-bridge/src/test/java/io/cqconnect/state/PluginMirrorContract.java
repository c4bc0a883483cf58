package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.PluginConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PluginMirror} against a real destination plugin, and the table it writes shared with a
 * {@link JdbcStateStore} on the same database (what happens when the CLI uses that destination as
 * its state backend and cq-connect reads or writes the same table).
 */
abstract class PluginMirrorContract {

  /** Starts (or dials) the destination. */
  protected abstract PluginConnection connect();

  /** The destination's spec JSON. */
  protected abstract String spec();

  /** JDBC URL of the database the destination writes to. */
  protected abstract String jdbcUrl();

  /** A fresh state table name for each test. */
  protected abstract String table();

  private PluginMirror mirror(String table) {
    byte[] spec = spec() == null ? null : spec().getBytes(StandardCharsets.UTF_8);
    return new PluginMirror(connect(), spec, table);
  }

  @Test
  void shouldReadBackWhatItWroteWithTheHighestVersionWinning() {
    String t = table();
    try (PluginMirror mirror = mirror(t)) {
      mirror.migrate();
      assertThat(mirror.read()).isEmpty();

      mirror.write(List.of(new StateRow("a", "x", 1), new StateRow("b", "y", 2)));
      mirror.write(List.of(new StateRow("a", "stale", 0), new StateRow("b", "z", 3)));

      assertThat(mirror.read())
          .containsExactlyInAnyOrder(new StateRow("a", "x", 1), new StateRow("b", "z", 3));
    }
  }

  @Test
  void shouldShareTheTableWithAJdbcStoreInBothDirections() {
    String t = table();
    // The JDBC store creates the table; the destination must accept it as its own (no forced
    // migration), and each side must read what the other wrote.
    try (JdbcStateStore jdbc = new JdbcStateStore(jdbcUrl())) {
      jdbc.migrate(t);
      jdbc.write(t, List.of(new StateRow("from-jdbc", "1", 5)));
      try (PluginMirror mirror = mirror(t)) {
        mirror.migrate();
        assertThat(mirror.read()).containsExactly(new StateRow("from-jdbc", "1", 5));

        mirror.write(
            List.of(new StateRow("from-plugin", "2", 7), new StateRow("from-jdbc", "3", 6)));
      }
      assertThat(jdbc.read(t))
          .containsExactlyInAnyOrder(
              new StateRow("from-jdbc", "3", 6), new StateRow("from-plugin", "2", 7));
    }
  }
}
