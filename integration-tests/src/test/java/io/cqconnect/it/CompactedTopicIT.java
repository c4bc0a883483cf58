package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Table topics compacted by primary key (a common setup) accept the source's end-of-sync markers: a
 * compacted topic rejects records without a key, so markers carry one.
 */
@ExtendWith(ConnectClusterExtension.class)
class CompactedTopicIT {

  @Test
  void shouldWriteRowsAndMarkersToACompactedTableTopic(ConnectHarness harness) {
    String topic = "compacted.test_some_table";
    harness.cluster().kafka().createTopic(topic, 1, 1, Map.of("cleanup.policy", "compact"));
    Map<String, String> config =
        SourceConnectors.forFixture("compacted", Fixtures.SOURCE_TEST, "{\"num_rows\":3}");
    config.put("tables", "test_some_table");
    config.remove("skip.tables");
    harness.cluster().configureConnector("compacted", config);

    harness.awaitMarker(topic, Duration.ofSeconds(60));

    List<ConnectHarness.Message> messages = harness.readAll(topic, Duration.ofSeconds(10));
    assertThat(messages.stream().filter(m -> m.payload() != null)).hasSize(3);
    ConnectHarness.Message marker =
        messages.stream().filter(ConnectHarness.Message::isMarker).findFirst().orElseThrow();
    assertThat(marker.key().path("payload").asText())
        .isEqualTo("cq.sync-end/compacted/test_some_table");
    assertThat(harness.cluster().connectorStatus("compacted").tasks())
        .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
  }
}
