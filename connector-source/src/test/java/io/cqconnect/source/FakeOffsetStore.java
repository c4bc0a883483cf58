package io.cqconnect.source;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** An offset store as a task sees it: what the worker has written so far, and how often it read. */
final class FakeOffsetStore implements OffsetStorageReader {

  final Map<Map<String, Object>, Map<String, Object>> written = new HashMap<>();
  final AtomicInteger reads = new AtomicInteger();
  private final String source;
  private final String stateTable;

  FakeOffsetStore(String source, String stateTable) {
    this.source = source;
    this.stateTable = stateTable;
  }

  void cursor(String key, String value, long version) {
    written.put(
        CursorOffset.partition(source, stateTable, key),
        new CursorOffset(source, stateTable, key, value, version).offset());
  }

  void index(int task, List<String> keys) {
    written.put(KeyIndex.partition(source, stateTable, task), KeyIndex.offset(keys));
  }

  @Override
  public <T> Map<String, Object> offset(Map<String, T> partition) {
    return offsets(List.of(partition)).get(partition);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Map<Map<String, T>, Map<String, Object>> offsets(
      Collection<Map<String, T>> partitions) {
    reads.incrementAndGet();
    Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
    for (Map<String, T> p : partitions) {
      result.put(p, written.get((Map<String, Object>) (Map<String, ?>) p));
    }
    return result;
  }
}
