package io.cqconnect.source;

import java.util.Map;

/** Names the topic of each table: {@code topic.prefix} + table name, unless renamed per table. */
final class TopicNamer {

  private final String prefix;
  private final Map<String, String> renames;

  TopicNamer(String prefix, Map<String, String> renames) {
    this.prefix = prefix == null ? "" : prefix;
    this.renames = Map.copyOf(renames);
  }

  String topicFor(String table) {
    String renamed = renames.get(table);
    return renamed != null ? renamed : prefix + table;
  }
}
