package io.cqconnect.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Checks a user's edit of the sink's consumer offsets (KIP-875 {@code PATCH}/{@code DELETE} of
 * {@code /connectors/NAME/offsets}). The offsets are plain consumer offsets, so any position is
 * valid: rewinding writes rows again (idempotent with {@code overwrite}), skipping forward leaves
 * rows and end-of-sync markers unwritten. What is refused is a negative offset (Connect would pass
 * it to the consumer group and answer with a message that names nothing) and an edit of a topic the
 * connector does not consume ({@code topics} / {@code topics.regex}): usually a typo, and Connect
 * would store it in the connector's consumer group all the same.
 */
final class SinkOffsetEdits {

  private SinkOffsetEdits() {}

  /**
   * @throws ConnectException naming the negative offsets, or the topics the connector does not
   *     consume
   */
  static void check(Map<String, String> config, Map<TopicPartition, Long> offsets) {
    List<String> topics = new ArrayList<>();
    for (String topic : config.getOrDefault(SinkConnector.TOPICS_CONFIG, "").split(",")) {
      if (!topic.isBlank()) {
        topics.add(topic.trim());
      }
    }
    String regex = config.getOrDefault(SinkTask.TOPICS_REGEX_CONFIG, "").trim();
    Pattern pattern;
    try {
      pattern = regex.isEmpty() ? null : Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConnectException("topics.regex '" + regex + "' is not a valid regex: " + e);
    }
    List<String> negative = new ArrayList<>();
    offsets.forEach(
        (partition, offset) -> {
          if (offset != null && offset < 0) {
            negative.add("offset " + offset + " for partition " + partition);
          }
        });
    if (!negative.isEmpty()) {
      throw new ConnectException(
          "Sink offsets cannot be negative: "
              + String.join(", ", negative)
              + "; a sink offset is the next record to read, 0 or more (give a partition a null"
              + " offset, or DELETE the connector's offsets, to reset it)");
    }
    List<String> foreign = new ArrayList<>();
    for (TopicPartition partition : offsets.keySet()) {
      String topic = partition.topic();
      boolean consumed =
          topics.contains(topic) || (pattern != null && pattern.matcher(topic).matches());
      if (!consumed && !foreign.contains(topic)) {
        foreign.add(topic);
      }
    }
    if (!foreign.isEmpty()) {
      throw new ConnectException(
          "Offsets for topics "
              + foreign
              + " cannot be altered: this sink does not consume them (topics="
              + String.join(",", topics)
              + (regex.isEmpty() ? "" : ", topics.regex=" + regex)
              + "); edit only the topics it reads, or change its topics first");
    }
  }
}
