package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A state table left by a plugin-sdk older than v4.67 (columns {@code key} and {@code value} only):
 * Kafka Connect takes the source over from it through cq-state-server, the table gains the {@code
 * version} column without losing a cursor, and the CloudQuery CLI then resumes from what Connect
 * wrote.
 */
@ExtendWith(ConnectClusterExtension.class)
class HandoffLegacyStateTableIT {

  private static final int ROWS = 25;
  private static final long LEGACY_CURSOR = 40;
  private static final String OTHER_KEY = "other_key";
  private static final String OTHER_VALUE = "opaque value an old sync left";
  private static final String PLUGIN_SPEC =
      "{\"tables\": 1, \"rows_per_sync\": " + ROWS + ", \"batch_rows\": 5}";

  @ParameterizedTest
  @EnumSource(CliStateDb.Kind.class)
  void shouldResumeFromAnUnversionedStateTableWhenConnectThenTheCliTakeOver(
      CliStateDb.Kind kind, ConnectHarness harness, @TempDir Path dir) throws Exception {
    String source = "legacy-" + kind.name().toLowerCase();
    try (CliHandoff handoff = CliHandoff.start(harness, dir, kind, source)) {
      CliStateDb db = handoff.db();
      Map<String, String> legacy = new TreeMap<>();
      legacy.put(CliHandoff.TABLE, Long.toString(LEGACY_CURSOR));
      legacy.put(OTHER_KEY, OTHER_VALUE);
      db.createLegacyTable(CliHandoff.STATE_TABLE, legacy);
      assertThat(db.columns(CliHandoff.STATE_TABLE)).containsExactly("key", "value");

      Path spec = handoff.writeSpec("literal-backend.yml", PLUGIN_SPEC);
      handoff.useConnectorConfig(CliSpecs.translate(spec, source), Map.of());

      CliLedger.Turn connect = handoff.connectTurn();
      assertThat(connect.syncStart())
          .as("Connect resumes from the unversioned row")
          .isEqualTo(LEGACY_CURSOR);
      assertThat(connect.firstId()).isEqualTo(LEGACY_CURSOR + 1);
      assertThat(db.columns(CliHandoff.STATE_TABLE))
          .as("the table gained the version column")
          .containsExactly("key", "value", "version");
      Map<String, CliStateDb.StoredRow> afterConnect = db.rows(CliHandoff.STATE_TABLE);
      assertThat(afterConnect.get(CliHandoff.TABLE).value())
          .isEqualTo(Long.toString(LEGACY_CURSOR + ROWS));
      // Missing versions count as 0; the plugin set the key once per 5-row batch.
      assertThat(afterConnect.get(CliHandoff.TABLE).version()).isEqualTo(ROWS / 5);
      assertThat(afterConnect.get(OTHER_KEY))
          .as("a key no plugin touched is kept as it was")
          .isEqualTo(new CliStateDb.StoredRow(OTHER_VALUE, null));

      CliSync.Run cli = handoff.cliTurn();
      assertThat(cli.storedCursor()).isEqualTo(LEGACY_CURSOR + ROWS);
      assertThat(List.of(cli.firstId(), cli.lastId()))
          .containsExactly(LEGACY_CURSOR + ROWS + 1, LEGACY_CURSOR + 2 * ROWS);
      Map<String, CliStateDb.StoredRow> afterCli = db.rows(CliHandoff.STATE_TABLE);
      assertThat(afterCli.get(CliHandoff.TABLE))
          .isEqualTo(
              new CliStateDb.StoredRow(Long.toString(LEGACY_CURSOR + 2 * ROWS), 2L * ROWS / 5));
      assertThat(afterCli.get(OTHER_KEY).value()).isEqualTo(OTHER_VALUE);
      handoff.note("state table after the CLI: " + afterCli);
      handoff.note(handoff.ledger().assertContract());
      handoff.print("HandoffLegacyStateTableIT");
    }
  }
}
