package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real CloudQuery CLI ({@code fixtures/bin/cloudquery}, CLI 6.21.1 from PyPI) offline:
 * {@code cloudquery sync SPEC --no-log-file --log-console --telemetry-level none} with {@code
 * CQ_TELEMETRY_LEVEL=none}, and reads back what it wrote to its SQLite destination.
 */
final class CliSync {

  /**
   * The flags every sync here needs: no log file in the working directory, plugin logs on the
   * console, no telemetry.
   */
  static final List<String> FLAGS =
      List.of("--no-log-file", "--log-console", "--telemetry-level", "none");

  /** The incremental plugin's log line naming the cursor a table's sync started from. */
  private static final Pattern RESOLVING =
      Pattern.compile(
          "resolving incremental table first_id=(\\d+)\\b.*?last_id=(\\d+)\\b.*?stored_cursor=(\\d+)\\b.*?table=(\\S+)");

  private CliSync() {}

  /** What one {@code cloudquery sync} did to one incremental table, from the plugin's log. */
  record Run(String command, String output, long storedCursor, long firstId, long lastId) {}

  /**
   * Runs {@code cloudquery sync spec} in {@code workDir}, keeping its output in {@code log}; fails
   * with the output unless it exits 0 and the plugin logged the sync of {@code table}.
   */
  static Run sync(Path spec, Path workDir, Path log, String table)
      throws IOException, InterruptedException {
    String output = run(spec, workDir, log);
    String shown = "cloudquery sync " + spec;
    Matcher m = RESOLVING.matcher(output);
    while (m.find()) {
      if (m.group(4).equals(table)) {
        return new Run(
            shown,
            output,
            Long.parseLong(m.group(3)),
            Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)));
      }
    }
    throw new AssertionError(
        shown
            + " logged no 'resolving incremental table ... table="
            + table
            + "' line:\n"
            + output);
  }

  /**
   * Runs {@code cloudquery sync spec} in {@code workDir}, keeping its output in {@code log}, and
   * returns the output; fails with it unless the CLI exits 0 and reports a completed sync.
   */
  static String run(Path spec, Path workDir, Path log, String... extraArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Fixtures.binary("cloudquery").toString());
    command.add("sync");
    command.add(spec.toString());
    command.addAll(FLAGS);
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("CQ_TELEMETRY_LEVEL", "none");
    Process process = builder.start();
    String shown = "CQ_TELEMETRY_LEVEL=none " + String.join(" ", command);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(shown + " did not finish in 120 s:\n" + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError(shown + " exited with " + process.exitValue() + ":\n" + output);
    }
    // A failed state Flush fails only the table's resolver: the CLI still exits 0, so the summary
    // is what tells a clean sync.
    if (!output.contains("result=\"Sync completed successfully\"")) {
      throw new AssertionError(shown + " exited 0 but did not complete cleanly:\n" + output);
    }
    return output;
  }

  /** One row of an incremental table in the CLI's SQLite destination. */
  record Row(long id, long syncStart, String syncTime) {}

  /**
   * The rows of {@code table} in the SQLite destination {@code db}, by id; empty if it does not
   * exist.
   */
  static List<Row> rows(Path db, String table) throws SQLException {
    List<Row> rows = new ArrayList<>();
    if (!Files.exists(db)) {
      return rows;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, sync_start, _cq_sync_time FROM \"" + table + "\" ORDER BY id")) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3)));
      }
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("no such table")) {
        return rows;
      }
      throw e;
    }
    return rows;
  }
}
