package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CloudQuery CLI (fixtures/bin/cloudquery) runs the demo plugin as {@code registry:
 * local}: it launches {@code bin/cq-demo-plugin serve --network unix ...}, parses its JSON logs,
 * and hands it a real Go destination (fixtures/bin/cq-dest-sqlite) as state backend through
 * {@code @@plugins.sqlite.connection}. The second sync must resume after the first one's cursor.
 */
class CloudQueryCliIT {

  @TempDir Path dir;

  @Test
  void shouldResumeFromTheStateBackendWhenTheCliSyncsTwice() throws Exception {
    Path cli = Fixtures.binary("cloudquery");
    Path db = dir.resolve("db.sqlite");
    Path spec = dir.resolve("spec.yml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "kind: source",
            "spec:",
            "  name: demo",
            "  registry: local",
            "  path: " + LauncherIT.launcher(),
            "  version: v1.0.0",
            "  tables: [\"*\"]",
            "  destinations: [\"sqlite\"]",
            "  backend_options:",
            "    table_name: cq_state_demo",
            "    connection: \"@@plugins.sqlite.connection\"",
            "  spec: {events_per_sync: 20, users: 3}",
            "---",
            "kind: destination",
            "spec:",
            "  name: sqlite",
            "  registry: local",
            "  path: " + Fixtures.binary(Fixtures.DEST_SQLITE),
            "  version: v1.0.0",
            "  spec: {connection_string: " + db + "}",
            ""));
    sync(cli, spec);
    assertThat(
            query(
                db, "SELECT value || '/' || version FROM cq_state_demo WHERE key = 'demo_events'"))
        .isEqualTo("2026-01-01T00:00:20Z/2");
    String second = sync(cli, spec);
    assertThat(second)
        .contains("stored_cursor=2026-01-01T00:00:20Z first_id=21 last_id=40 state_backend=true");
    assertThat(
            query(
                db, "SELECT value || '/' || version FROM cq_state_demo WHERE key = 'demo_events'"))
        .isEqualTo("2026-01-01T00:00:40Z/4");
    assertThat(
            query(
                db,
                "SELECT count(DISTINCT id) || '/' || min(id) || '/' || max(id) FROM demo_events"))
        .isEqualTo("40/1/40");
    assertThat(query(db, "SELECT count(*) || '/' || min(_cq_source_name) FROM demo_users"))
        .isEqualTo("3/demo");
  }

  private String sync(Path cli, Path spec) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                cli.toString(),
                "sync",
                spec.toString(),
                "--no-log-file",
                "--log-console",
                "--telemetry-level",
                "none")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("CQ_TELEMETRY_LEVEL", "none");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String log = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).contains("Sync completed successfully");
    return log;
  }

  private static String query(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
