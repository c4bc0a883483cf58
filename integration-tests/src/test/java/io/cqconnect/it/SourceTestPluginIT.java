package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CloudQuery's own Go {@code test} source plugin through the connector: every row arrives once per
 * sync in its table's topic, with keys and values equal to what a bare protocol client decodes from
 * the same plugin.
 */
@ExtendWith(ConnectClusterExtension.class)
class SourceTestPluginIT {

  static final String SPEC = "{\"num_clients\":2,\"num_rows\":1500,\"num_sub_rows\":2}";

  private static List<String> kafkaRows(ConnectHarness harness, String topic) {
    List<String> rows = new ArrayList<>();
    for (ConnectHarness.Message m : harness.readAll(topic, Duration.ofSeconds(30))) {
      if (!m.isMarker()) {
        rows.add(BareSync.canonical(m.key() == null ? null : m.key().get("payload"), m.payload()));
      }
    }
    return rows;
  }

  @Test
  void shouldDeliverEveryRowOnceWithTheValuesABareClientDecodes(ConnectHarness harness)
      throws Exception {
    Map<String, List<String>> expected =
        new TreeMap<>(BareSync.rowsByTable(Fixtures.SOURCE_TEST, SPEC, true));
    assertThat(expected).as("tables the test plugin synced").hasSizeGreaterThanOrEqualTo(3);
    int total = expected.values().stream().mapToInt(List::size).sum();
    assertThat(total).isGreaterThan(3000);

    Map<String, String> config = SourceConnectors.forFixture("tp", Fixtures.SOURCE_TEST, SPEC);
    config.put("deterministic.cq.id", "true");
    harness.cluster().configureConnector("tp", config);

    for (Map.Entry<String, List<String>> table : expected.entrySet()) {
      String topic = "tp." + table.getKey();
      harness.awaitMarker(topic, Duration.ofSeconds(120));
      List<String> actual = new ArrayList<>(kafkaRows(harness, topic));
      List<String> wanted = new ArrayList<>(table.getValue());
      actual.sort(null);
      wanted.sort(null);
      assertThat(actual)
          .as("rows of table %s", table.getKey())
          .hasSize(wanted.size())
          .isEqualTo(wanted);
    }
  }
}
