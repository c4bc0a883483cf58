package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CloudQuery CLI and Kafka Connect take turns (CLI, Connect, CLI, Connect) on one source, and
 * the first Connect turn is cut short: its only worker is stopped while the plugin is mid-sync and
 * has already flushed cursors past rows Kafka holds. Connect's mirror writes the state database
 * directly over JDBC (beside cq-state-server, which serves the same table to the CLI). The next CLI
 * turn must start from the last finished sync's cursor: nothing skipped, and the only duplicates
 * are the rows the interrupted sync delivered.
 */
@ExtendWith(ConnectClusterExtension.class)
class HandoffAlternatingIT {

  private static final int ROWS = 120;
  // Slow enough to stop mid-sync: 12 batches 300 ms apart; the SDK sends rows in inserts of 50, and
  // the plugin flushes its cursor to the state endpoint every 30 rows.
  private static final String PLUGIN_SPEC =
      "{\"tables\": 1, \"rows_per_sync\": "
          + ROWS
          + ", \"batch_rows\": 10, \"flush_every_rows\": 30, \"delay_ms_per_batch\": 300}";

  @ParameterizedTest
  @EnumSource(CliStateDb.Kind.class)
  void shouldSkipNoRowWhenTheCliFollowsAConnectSyncStoppedMidway(
      CliStateDb.Kind kind, ConnectHarness harness, @TempDir Path dir) throws Exception {
    String source = "alternating-" + kind.name().toLowerCase();
    try (CliHandoff handoff = CliHandoff.start(harness, dir, kind, source)) {
      Path spec = handoff.writeSpec("literal-backend.yml", PLUGIN_SPEC);
      Map<String, String> translated = CliSpecs.translate(spec, source);
      Map<String, String> overrides = new HashMap<>(handoff.db().jdbcMirrorKeys());
      overrides.put("state.mirror.address", null);
      handoff.useConnectorConfig(translated, overrides);

      handoff.cliTurn();
      CliLedger.Turn interrupted = handoff.connectTurnInterrupted(ROWS);
      CliSync.Run cli = handoff.cliTurn();
      CliLedger.Turn connect = handoff.connectTurn();

      assertThat(interrupted.syncStart()).isEqualTo(ROWS);
      assertThat(cli.storedCursor())
          .as(
              "the CLI resumes from the last finished sync (its own), not from"
                  + " cursors the interrupted Connect sync flushed")
          .isEqualTo(ROWS);
      assertThat(cli.firstId()).isEqualTo(ROWS + 1);
      assertThat(connect.syncStart())
          .as("Connect resumes from the CLI's cursor read over JDBC")
          .isEqualTo(2 * ROWS);
      assertThat(connect.lastId()).isEqualTo(3 * ROWS);
      handoff.note(handoff.ledger().assertContract());
      handoff.print("HandoffAlternatingIT");
    }
  }
}
