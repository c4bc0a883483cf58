package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CloudQuery CLI syncs an incremental source twice with its state in cq-state-server, then
 * Kafka Connect takes the source over: the connector config is our translation of the CLI's own
 * spec, and its first sync starts at the cursor the CLI left in the shared state table.
 */
@ExtendWith(ConnectClusterExtension.class)
class HandoffCliToConnectIT {

  private static final int ROWS = 25;
  private static final String PLUGIN_SPEC =
      "{\"tables\": 1, \"rows_per_sync\": " + ROWS + ", \"batch_rows\": 5}";
  private static final String CREATING = "Creating state table '" + CliHandoff.STATE_TABLE + "'";
  private static final String CREATED = "Created state table '" + CliHandoff.STATE_TABLE + "'";

  @ParameterizedTest
  @EnumSource(CliStateDb.Kind.class)
  void shouldStartConnectAtTheCliCursorWhenConnectTakesOverAfterTwoCliSyncs(
      CliStateDb.Kind kind, ConnectHarness harness, @TempDir Path dir) throws Exception {
    String source = "cli2connect-" + kind.name().toLowerCase();
    try (CliHandoff handoff = CliHandoff.start(harness, dir, kind, source)) {
      // backend_options.connection names the running cq-state-server literally.
      Path spec = handoff.writeSpec("literal-backend.yml", PLUGIN_SPEC);
      Map<String, String> translated = CliSpecs.translate(spec, source);
      assertThat(translated)
          .containsEntry("state.table.name", CliHandoff.STATE_TABLE)
          .containsEntry("state.mirror.address", handoff.server().address())
          .containsEntry("topic.prefix", source + ".");
      handoff.useConnectorConfig(translated, Map.of());

      CliSync.Run first = handoff.cliTurn();
      CliSync.Run second = handoff.cliTurn();
      assertThat(first.firstId()).isEqualTo(1);
      assertThat(second.storedCursor()).isEqualTo(ROWS);
      CliStateDb.StoredRow cliLeft =
          handoff.db().rows(CliHandoff.STATE_TABLE).get(CliHandoff.TABLE);
      assertThat(cliLeft.value()).isEqualTo(Integer.toString(2 * ROWS));

      CliLedger.Turn connect = handoff.connectTurn();
      assertThat(connect.syncStart())
          .as("Connect's first sync_start = the CLI's last cursor")
          .isEqualTo(2 * ROWS);
      assertThat(connect.firstId()).isEqualTo(2 * ROWS + 1);
      assertThat(connect.lastId()).isEqualTo(3 * ROWS);
      assertThat(connect.stateAfter().value()).isEqualTo(Integer.toString(3 * ROWS));
      assertThat(connect.stateAfter().version())
          .as("versions keep growing across the hand-off")
          .isGreaterThan(cliLeft.version());
      handoff.note(handoff.ledger().assertContract());
      handoff.print("HandoffCliToConnectIT");
    }
  }

  /**
   * cq-state-server and Connect's JDBC mirror may open the same SQLite file from two processes;
   * each connection waits up to 10 s for the other's write lock ({@code PRAGMA busy_timeout})
   * instead of failing. Here the test holds the write lock while the CLI's state client connects:
   * once cq-state-server has logged that it is creating the state table, the table is not created
   * and the client is not connected until the test commits.
   */
  @Test
  void shouldWaitForTheSqliteWriteLockWhenAnotherWriterHoldsTheStateFile(
      ConnectHarness harness, @TempDir Path dir) throws Exception {
    try (CliHandoff handoff =
        CliHandoff.start(harness, dir, CliStateDb.Kind.SQLITE, "sqlite-lock")) {
      handoff.writeSpec("literal-backend.yml", PLUGIN_SPEC);
      Path log = handoff.cliLog(1);
      CompletableFuture<CliSync.Run> cli;
      try (Connection writer = handoff.db().open();
          Statement s = writer.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        cli =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return handoff.cliTurn();
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                });
        // cq-state-server (at DEBUG) logs that it is creating the state table right before the
        // statement that needs the write lock, and that it created it once that statement is done.
        await()
            .alias("cq-state-server starts creating the state table")
            .atMost(Duration.ofSeconds(60))
            .until(() -> handoff.server().output().contains(CREATING));
        assertThat(handoff.server().output())
            .as("cq-state-server's log: the state table's creation waits for the write lock")
            .doesNotContain(CREATED);
        assertThat(Files.readString(log))
            .as("the state client is still waiting for the write lock")
            .doesNotContain("connected to state backend");
        s.execute("COMMIT");
      }
      CliSync.Run run = cli.get(120, TimeUnit.SECONDS);
      assertThat(handoff.server().output()).contains(CREATED);
      assertThat(run.storedCursor()).isZero();
      assertThat(handoff.db().value(CliHandoff.STATE_TABLE, CliHandoff.TABLE))
          .isEqualTo(Integer.toString(ROWS));
      handoff.print("HandoffCliToConnectIT/sqlite-lock");
    }
  }
}
