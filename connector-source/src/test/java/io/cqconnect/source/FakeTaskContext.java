package io.cqconnect.source;

import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * What a worker hands a source task: its config, its offset store and (exactly-once) its
 * transactions.
 */
record FakeTaskContext(
    Map<String, String> configs,
    OffsetStorageReader offsetStorageReader,
    TransactionContext transactions)
    implements SourceTaskContext {

  @Override
  public TransactionContext transactionContext() {
    return transactions;
  }

  @Override
  public PluginMetrics pluginMetrics() {
    return null;
  }
}
