package io.cqconnect.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** A sink task context that records what the task asks of the runtime. */
final class FakeContext implements SinkTaskContext {

  final List<Long> timeouts = new ArrayList<>();
  final Map<TopicPartition, Long> rewinds = new HashMap<>();

  /** Rewinds asked and not yet applied by {@link SinkTaskFixture.PositionedTask}. */
  final Map<TopicPartition, Long> unappliedRewinds = new HashMap<>();

  final List<SinkRecord> reported = new ArrayList<>();
  final List<Throwable> reportedErrors = new ArrayList<>();
  private final boolean withReporter;
  private final Set<TopicPartition> assignment = new HashSet<>();

  FakeContext(boolean withReporter) {
    this.withReporter = withReporter;
  }

  @Override
  public Map<String, String> configs() {
    return Map.of();
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {
    rewinds.putAll(offsets);
    unappliedRewinds.putAll(offsets);
  }

  @Override
  public void offset(TopicPartition tp, long offset) {
    rewinds.put(tp, offset);
    unappliedRewinds.put(tp, offset);
  }

  @Override
  public void timeout(long timeoutMs) {
    timeouts.add(timeoutMs);
  }

  @Override
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  @Override
  public void pause(TopicPartition... partitions) {}

  @Override
  public void resume(TopicPartition... partitions) {}

  @Override
  public void requestCommit() {}

  @Override
  public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
    return null;
  }

  @Override
  public ErrantRecordReporter errantRecordReporter() {
    if (!withReporter) {
      return null;
    }
    return (record, error) -> {
      reported.add(record);
      reportedErrors.add(error);
      return CompletableFuture.completedFuture(null);
    };
  }
}
