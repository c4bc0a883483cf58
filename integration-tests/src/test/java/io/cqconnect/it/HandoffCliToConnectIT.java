package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CloudQuery CLI syncs an incremental source twice with its state in cq-state-server, then
 * Kafka Connect takes the source over: the connector config is our translation of the CLI's own
 * spec, and its first sync starts at the cursor the CLI left in the shared state table.
 */
class HandoffCliToConnectIT {

  private static final int ROWS = 25;
  private static final String PLUGIN_SPEC =
      "{\"tables\": 1, \"rows_per_sync\": " + ROWS + ", \"batch_rows\": 5}";

  private static ConnectHarness harness;

  @BeforeAll
  static void startCluster() {
    harness = ConnectHarness.start("handoff-cli-to-connect", 1);
  }

  @AfterAll
  static void stopCluster() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest
  @EnumSource(CliStateDb.Kind.class)
  void shouldStartConnectAtTheCliCursorWhenConnectTakesOverAfterTwoCliSyncs(
      CliStateDb.Kind kind, @TempDir Path dir) throws Exception {
    String source = "cli2connect-" + kind.name().toLowerCase();
    try (CliHandoff handoff = CliHandoff.start(harness, dir, kind, source)) {
      // backend_options.connection names the running cq-state-server literally.
      Path spec = handoff.writeSpec("literal-backend.yml", PLUGIN_SPEC);
      Map<String, String> translated = CliSpecs.translate(spec, source);
      assertThat(translated)
          .containsEntry("state.table.name", CliHandoff.STATE_TABLE)
          .containsEntry("state.mirror.address", handoff.server().address())
          .containsEntry("topic.prefix", source + ".");
      handoff.useConnectorConfig(translated, Map.of("sync.interval.ms", "0"));

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
}
