package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka Connect syncs an incremental source twice, mirroring its cursors into the state table of a
 * cq-state-server, then the CloudQuery CLI takes over with the very spec the connector was
 * translated from ({@code cq-connect-config translate}): the CLI's state client reads Connect's
 * cursor through the server and its sync starts there.
 */
@ExtendWith(ConnectClusterExtension.class)
class HandoffConnectToCliIT {

  private static final int ROWS = 25;
  private static final String PLUGIN_SPEC =
      "{\"tables\": 1, \"rows_per_sync\": " + ROWS + ", \"batch_rows\": 5}";

  @ParameterizedTest
  @EnumSource(CliStateDb.Kind.class)
  void shouldStartTheCliAtConnectsCursorWhenTheCliTakesOverAfterTwoConnectSyncs(
      CliStateDb.Kind kind, ConnectHarness harness, @TempDir Path dir) throws Exception {
    String source = "connect2cli-" + kind.name().toLowerCase();
    try (CliHandoff handoff = CliHandoff.start(harness, dir, kind, source)) {
      // The state server is a registry: grpc destination the source names as
      // @@plugins.state.connection.
      Path spec = handoff.writeSpec("grpc-backend.yml", PLUGIN_SPEC);
      Map<String, String> translated = CliSpecs.translateWithCommandLine(spec, source);
      assertThat(translated)
          .containsEntry("state.table.name", CliHandoff.STATE_TABLE)
          .containsEntry("state.mirror.address", handoff.server().address())
          .doesNotContainKeys("state.mirror.path", "state.mirror.jdbc.url");
      handoff.useConnectorConfig(translated, Map.of());

      CliLedger.Turn first = handoff.connectTurn();
      CliLedger.Turn second = handoff.connectTurn();
      assertThat(first.syncStart()).isZero();
      assertThat(second.syncStart())
          .as("Connect's second sync resumes from its own first")
          .isEqualTo(ROWS);
      String connectCursor = handoff.committedCursor();
      assertThat(connectCursor).isEqualTo(Integer.toString(2 * ROWS));

      CliSync.Run cli = handoff.cliTurn();
      assertThat(cli.storedCursor())
          .as("the CLI's sync starts from Connect's committed cursor")
          .isEqualTo(Long.parseLong(connectCursor));
      assertThat(cli.firstId()).isEqualTo(2 * ROWS + 1);
      assertThat(cli.lastId()).isEqualTo(3 * ROWS);
      CliStateDb.StoredRow after = handoff.db().rows(CliHandoff.STATE_TABLE).get(CliHandoff.TABLE);
      assertThat(after.value()).isEqualTo(Integer.toString(3 * ROWS));
      assertThat(after.version())
          .as("the CLI's state client continued Connect's versions")
          .isGreaterThan(second.stateAfter().version());
      handoff.note(handoff.ledger().assertContract());
      handoff.print("HandoffConnectToCliIT");
    }
  }
}
