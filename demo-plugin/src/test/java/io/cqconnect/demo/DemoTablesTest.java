package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqTable;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class DemoTablesTest {

  @Test
  void shouldDescribeEventsAsIncrementalWithTsCursorWhenReadLikeAClientDoes() {
    CqTable events =
        CqTable.fromSchema(ArrowIpc.schemaFromBytes(ArrowIpc.schemaToBytes(DemoTables.events())));
    assertThat(events.name()).isEqualTo("demo_events");
    assertThat(events.incremental()).isTrue();
    assertThat(events.primaryKeys()).containsExactly("id");
    assertThat(events.isIncrementalColumn("ts")).isTrue();
    assertThat(events.isIncrementalColumn("id")).isFalse();
    assertThat(events.columns())
        .extracting(f -> f.getName())
        .containsExactly("id", "ts", "kind", "payload");
    assertThat(events.columns().get(1).getType()).isEqualTo(DemoTables.TIMESTAMP_US_UTC);

    CqTable users = CqTable.fromSchema(DemoTables.users());
    assertThat(users.incremental()).isFalse();
    assertThat(users.primaryKeys()).containsExactly("id");
  }

  @Test
  void shouldSelectByGlobAndSkipWhenPatternsAreGiven() {
    assertThat(DemoTables.select(List.of("*"), List.of()))
        .extracting(DemoTables::name)
        .containsExactly("demo_events", "demo_users");
    assertThat(DemoTables.select(List.of("demo_u*"), List.of()))
        .extracting(DemoTables::name)
        .containsExactly("demo_users");
    assertThat(DemoTables.select(List.of("demo_?vents", "demo_users"), List.of("*users")))
        .extracting(DemoTables::name)
        .containsExactly("demo_events");
    assertThat(DemoTables.select(List.of("demo.events"), List.of())).isEmpty();
    assertThatThrownBy(() -> DemoTables.select(List.of(), List.of()))
        .hasMessageContaining("no tables requested");
  }

  @Test
  void shouldGenerateTheSameEventsWhenAskedTwice() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot a = DemoRows.events(allocator, 3, 2);
        VectorSchemaRoot b = DemoRows.events(allocator, 3, 2)) {
      assertThat(a.contentToTSVString()).isEqualTo(b.contentToTSVString());
      assertThat(a.getRowCount()).isEqualTo(2);
      TimeStampMicroTZVector ts = (TimeStampMicroTZVector) a.getVector("ts");
      assertThat(ts.get(0))
          .isEqualTo(Instant.parse("2026-01-01T00:00:03Z").getEpochSecond() * 1_000_000L);
      assertThat(new String(((VarCharVector) a.getVector("kind")).get(1))).isEqualTo("logout");
    }
  }

  @Test
  void shouldRoundTripTheCursorWhenResuming() {
    assertThat(DemoRows.cursorOf(50)).isEqualTo("2026-01-01T00:00:50Z");
    assertThat(DemoRows.lastEventId(DemoRows.cursorOf(50))).isEqualTo(50);
    assertThat(DemoRows.lastEventId("")).isZero();
    assertThat(DemoRows.lastEventId(null)).isZero();
  }

  @Test
  void shouldNameTheKeyWhenTheStoredCursorIsNotADemoTime() {
    assertThatThrownBy(() -> DemoRows.lastEventId("42"))
        .hasMessageContaining(
            "stored cursor '42' of state key 'demo_events' is not an ISO-8601 instant");
    assertThatThrownBy(() -> DemoRows.lastEventId("2025-01-01T00:00:00Z"))
        .hasMessageContaining("is not a demo event time");
  }
}
