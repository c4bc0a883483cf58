package io.cqconnect.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The sink tasks a test starts, and the {@link FakeDestination} they may write to: {@link #close}
 * (from the test's {@code @AfterEach}) stops every task, then the destination.
 */
final class SinkTaskFixture implements AutoCloseable {

  private final List<CloudQuerySinkTask> started = new ArrayList<>();
  private FakeDestination destination;

  /**
   * Starts a sink task named {@code name} on {@code context}, configured with {@code pluginProps}
   * plus {@code keyValues} (key, value, ...).
   */
  CloudQuerySinkTask start(
      String name, FakeContext context, Map<String, String> pluginProps, String... keyValues) {
    Map<String, String> props = new HashMap<>(pluginProps);
    props.put("name", name);
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    CloudQuerySinkTask task = new PositionedTask();
    task.initialize(context);
    started.add(task);
    task.start(props);
    return task;
  }

  /**
   * Starts a sink task named {@code name} on {@code context} that writes to {@link
   * #fakeDestination()}, retrying after 7 ms, plus {@code keyValues} (key, value, ...).
   */
  CloudQuerySinkTask startOnFake(String name, FakeContext context, String... keyValues) {
    return start(
        name,
        context,
        Map.of(
            "plugin.address", fakeDestination().address(),
            "retry.backoff.ms", "7",
            "plugin.call.timeout.ms", "10000"),
        keyValues);
  }

  /** The recording destination on loopback, started on first use. */
  FakeDestination fakeDestination() {
    if (destination == null) {
      destination = new FakeDestination();
    }
    return destination;
  }

  /**
   * What {@code task} commits of {@code partitions} when Connect's positions are those of a worker
   * that handed it the records of its {@code put} calls that returned (see {@link PositionedTask}).
   */
  static Map<TopicPartition, OffsetAndMetadata> commit(
      CloudQuerySinkTask task, TopicPartition... partitions) {
    Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
    for (TopicPartition partition : partitions) {
      current.put(partition, new OffsetAndMetadata(((PositionedTask) task).position(partition)));
    }
    return task.preCommit(current);
  }

  /**
   * A sink task that keeps Connect's position per partition as a worker does: the offset after the
   * last record of a {@code put} that returned, or of a record the worker dropped before {@code
   * put} ({@link #dropped}); 0 before any. A rewind the task asks ({@code context.offset}, in
   * {@code close} inside the worker's poll) is applied the way the worker applies it: at the start
   * of its next poll, so before the second {@code put} from the request (the first ends the poll
   * the request was made in), or right after an {@code open} (its assignment callback).
   */
  static final class PositionedTask extends CloudQuerySinkTask {

    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private Map<TopicPartition, Long> seekAtNextPut = Map.of();

    @Override
    public void put(Collection<SinkRecord> records) {
      positions.putAll(seekAtNextPut);
      seekAtNextPut = takeAskedRewinds();
      super.put(records);
      records.forEach(
          record -> advance(record.topic(), record.kafkaPartition(), record.kafkaOffset()));
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
      super.open(partitions);
      positions.putAll(seekAtNextPut);
      positions.putAll(takeAskedRewinds());
      seekAtNextPut = Map.of();
    }

    /** The rewinds the task asked since the last call, taken from the fake context. */
    private Map<TopicPartition, Long> takeAskedRewinds() {
      if (!(context instanceof FakeContext fake)) {
        return Map.of();
      }
      Map<TopicPartition, Long> asked = new HashMap<>(fake.unappliedRewinds);
      fake.unappliedRewinds.clear();
      return asked;
    }

    /** The worker dropped the record at {@code offset} before {@code put} (converter, SMT). */
    void dropped(TopicPartition partition, long offset) {
      advance(partition.topic(), partition.partition(), offset);
    }

    long position(TopicPartition partition) {
      return positions.getOrDefault(partition, 0L);
    }

    private void advance(String topic, int partition, long offset) {
      positions.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
    }
  }

  /** Stops the started tasks (a task's stop is idempotent), then the fake destination. */
  @Override
  public void close() {
    started.forEach(CloudQuerySinkTask::stop);
    started.clear();
    if (destination != null) {
      destination.close();
      destination = null;
    }
  }
}
