package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the rows of our incremental fixture plugin back from Kafka and checks them by sequence
 * number: every id from 1 to the highest present, how often each arrived, and which cursor each
 * sync started from.
 */
final class IncrementalTopics {

  private final ConnectHarness harness;

  IncrementalTopics(ConnectHarness harness) {
    this.harness = harness;
  }

  /** Rows (not markers) of one table's topic. */
  List<Row> rows(String topic) {
    return rows(topic, false);
  }

  List<Row> rows(String topic, boolean readCommitted) {
    List<Row> rows = new ArrayList<>();
    for (ConnectHarness.Message m : harness.readAll(topic, Duration.ofSeconds(30), readCommitted)) {
      JsonNode payload = m.payload();
      if (m.isMarker() || payload == null) {
        continue;
      }
      rows.add(new Row(payload.get("id").asLong(), payload.get("sync_start").asLong()));
    }
    return rows;
  }

  /** How often each id arrived, by id. */
  static Map<Long, Integer> counts(List<Row> rows) {
    Map<Long, Integer> counts = new TreeMap<>();
    rows.forEach(r -> counts.merge(r.id(), 1, Integer::sum));
    return counts;
  }

  /** Asserts that ids 1..max all arrived (no gap) and returns max. */
  static long assertNoGap(List<Row> rows) {
    Map<Long, Integer> counts = counts(rows);
    assertThat(counts).isNotEmpty();
    long max = ((TreeMap<Long, Integer>) counts).lastKey();
    List<Long> missing = new ArrayList<>();
    for (long id = 1; id <= max; id++) {
      if (!counts.containsKey(id)) {
        missing.add(id);
      }
    }
    assertThat(missing).as("ids missing below the highest id %d", max).isEmpty();
    return max;
  }

  /** One row: its sequence number and the cursor its sync started from. */
  record Row(long id, long syncStart) {}
}
