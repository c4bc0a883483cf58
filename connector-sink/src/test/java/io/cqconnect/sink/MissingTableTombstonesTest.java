package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.GrpcErrors;
import io.grpc.Status;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** The decisions about a delete of a table this task has not created: isolate, skip or not. */
class MissingTableTombstonesTest {

  private static RuntimeException answered(Status status) {
    return GrpcErrors.toConnect(status.asRuntimeException(), "Write", "cq-dest-sqlite");
  }

  @Test
  void shouldCallAnAnsweredNonRetriableStatusARefusal() {
    RuntimeException noTable =
        answered(Status.INTERNAL.withDescription("write failed: no such table: gone"));
    RuntimeException canceled =
        answered(Status.CANCELLED.withDescription("plugin returned error: no such table: gone"));

    assertThat(MissingTableTombstones.isRefusal(noTable, false)).isTrue();
    assertThat(MissingTableTombstones.isRefusal(canceled, false)).isTrue();
    assertThat(MissingTableTombstones.isRefusal(Status.UNKNOWN.asRuntimeException(), false))
        .isTrue();
  }

  @Test
  void shouldNotCallTransientFailuresOrADeadPluginARefusal() {
    assertThat(MissingTableTombstones.isRefusal(answered(Status.UNAVAILABLE), false)).isFalse();
    assertThat(MissingTableTombstones.isRefusal(answered(Status.DEADLINE_EXCEEDED), false))
        .isFalse();
    assertThat(
            MissingTableTombstones.isRefusal(answered(Status.INTERNAL.withDescription("x")), true))
        .as("the plugin process died: it did not refuse anything")
        .isFalse();
    assertThat(
            MissingTableTombstones.isRefusal(
                new ConnectException("no answer from the destination within 60000 ms"), false))
        .as("no gRPC status: nothing was answered")
        .isFalse();
  }

  @Test
  void shouldIsolateOnlyTablesNeitherMigratedNorDeletedFromBefore() {
    try (SinkMetrics metrics = new SinkMetrics("mt-test", 0)) {
      MissingTableTombstones tables = new MissingTableTombstones("mt-test-0", metrics);

      assertThat(tables.mustIsolate("gone", false)).isTrue();
      assertThat(tables.mustIsolate("items", true)).isFalse();
      tables.deleted("gone");
      assertThat(tables.mustIsolate("gone", false)).isFalse();
      assertThat(tables.mustIsolate("other", false)).isTrue();
    }
  }

  @Test
  void shouldCountEverySkippedTombstoneOfItsTable() {
    TestRecords gone = new TestRecords("gone", "gone");
    try (SinkMetrics metrics = new SinkMetrics("mt-test", 1)) {
      MissingTableTombstones tables = new MissingTableTombstones("mt-test-1", metrics);
      RuntimeException refusal = answered(Status.INTERNAL.withDescription("no such table: gone"));
      for (long offset = 0; offset < 3; offset++) {
        tables.skipped(
            IncomingRecord.classify(
                gone.tombstone(offset, offset, null, "src"),
                Map.of(),
                null,
                new IncomingRecord.SyncTimes()),
            refusal);
      }

      MetricName name =
          metrics
              .registry()
              .metricName(
                  "tombstones-skipped-total",
                  SinkMetrics.TABLE_GROUP,
                  "",
                  Map.of("connector", "mt-test", "task", "1", "table", "gone"));
      assertThat(metrics.registry().metric(name).metricValue()).isEqualTo(3.0);
    }
  }
}
