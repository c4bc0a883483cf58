package io.cqconnect.sink;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** A sink task context that forwards to another; tests override single methods. */
class ForwardingContext implements SinkTaskContext {

  private final SinkTaskContext delegate;

  ForwardingContext(SinkTaskContext delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<String, String> configs() {
    return delegate.configs();
  }

  @Override
  public void offset(Map<TopicPartition, Long> offsets) {
    delegate.offset(offsets);
  }

  @Override
  public void offset(TopicPartition tp, long offset) {
    delegate.offset(tp, offset);
  }

  @Override
  public void timeout(long timeoutMs) {
    delegate.timeout(timeoutMs);
  }

  @Override
  public Set<TopicPartition> assignment() {
    return delegate.assignment();
  }

  @Override
  public void pause(TopicPartition... partitions) {
    delegate.pause(partitions);
  }

  @Override
  public void resume(TopicPartition... partitions) {
    delegate.resume(partitions);
  }

  @Override
  public void requestCommit() {
    delegate.requestCommit();
  }

  @Override
  public ErrantRecordReporter errantRecordReporter() {
    return delegate.errantRecordReporter();
  }

  @Override
  public PluginMetrics pluginMetrics() {
    return delegate.pluginMetrics();
  }
}
