package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sink on the JS SDK's memdb plugin, a second, independent destination implementation: it
 * accepts append and upsert writes (its Read, delete-stale and delete_record are broken upstream,
 * so only acceptance is checked: every stream is answered and the offsets commit).
 */
class JsMemdbDestinationTest {

  private static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  private static final TopicPartition ITEMS = new TopicPartition("items", 0);

  private final SinkTaskFixture tasks = new SinkTaskFixture();

  @AfterEach
  void stop() {
    tasks.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"append", "overwrite"})
  void shouldConfirmEveryWriteWhenTheModeIsAppendOrUpsert(String mode) {
    CloudQuerySinkTask task =
        tasks.start(
            "memdb-sink",
            new FakeContext(false),
            Map.of(
                "plugin.path", Fixtures.binary(Fixtures.JS_MEMDB).toString(),
                "plugin.network", "tcp",
                "plugin.spec", "{\"concurrency\":100}"),
            "write.mode",
            mode,
            "batch.max.rows",
            "2");
    TestRecords items = new TestRecords("items", "items");

    task.put(List.of(items.row(0, 1, "a", T1, "src"), items.row(1, 2, "b", T1, "src")));
    task.put(List.of(items.row(2, 1, "a2", T1, "src"), items.row(3, 3, "c", T1, "src")));
    task.put(List.of(items.row(4, 4, "d", T1, "src")));

    assertThat(SinkTaskFixture.commit(task, ITEMS)).containsEntry(ITEMS, new OffsetAndMetadata(5));
  }
}
