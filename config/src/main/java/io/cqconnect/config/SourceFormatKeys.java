package io.cqconnect.config;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The source connector's {@code record.format} key (one record per row, or one Arrow IPC batch per
 * plugin insert) and the settings it excludes; {@link SourceConfig} holds its typed getter.
 */
public final class SourceFormatKeys {

  public static final String RECORD_FORMAT_CONFIG = "record.format";
  public static final String RECORD_FORMAT_DOC =
      "What a record of a table topic carries. 'row': one record per row, a Struct value keyed by"
          + " the primary key (any converter, SMTs, compaction). 'arrow': one record per plugin"
          + " insert, its value the plugin's Arrow IPC stream as it came (schema and one batch,"
          + " readable alone), value schema optional bytes, no key, headers cq.table, cq.source,"
          + " cq.sync.time, cq.format=arrow-ipc and cq.rows; set value.converter=ByteArrayConverter"
          + " (JsonConverter writes the bytes as base64 text). No per-row conversion on either side"
          + " (the sink connector writes the batch as it is), but SMTs see one bytes value, there"
          + " are no per-row keys (compaction cannot apply: compacted topics reject records"
          + " without a key), plugin deletes are forwarded as delete-record control records, not"
          + " tombstones, state-topic values are bytes too (a cursor as schemaless JSON), and"
          + " timestamps keep every digit (timestamp.precision may only be 'exact'). A record is a"
          + " whole insert: for inserts above the producer's max.request.size (1 MiB) raise"
          + " producer.override.max.request.size and the topics' max.message.bytes.";
  public static final String RECORD_FORMAT_DISPLAY = "Record format";
  public static final String RECORD_FORMAT_DEFAULT = RecordFormat.ROW.value();

  /** Connect's policy for the topics it creates (unless a topic.creation group matches). */
  static final String DEFAULT_CLEANUP_POLICY = "topic.creation.default.cleanup.policy";

  private SourceFormatKeys() {}

  /** Adds the key to {@code def} in {@code group} at {@code order}. */
  static ConfigDef define(ConfigDef def, String group, int order) {
    return def.define(
        RECORD_FORMAT_CONFIG,
        Type.STRING,
        RECORD_FORMAT_DEFAULT,
        EnumConfigs.validator(RecordFormat.class),
        Importance.MEDIUM,
        RECORD_FORMAT_DOC,
        group,
        order,
        Width.SHORT,
        RECORD_FORMAT_DISPLAY,
        EnumConfigs.recommender(RecordFormat.class));
  }

  /**
   * Cross-field rules of {@code record.format=arrow}: no per-row setting beside it. A compacted
   * topic (Connect's {@code topic.creation.default.cleanup.policy}) rejects the keyless batch
   * records, and {@code timestamp.precision} shapes per-row values that the arrow format never
   * builds.
   */
  static void validate(Map<String, String> props, ConfigProblems problems) {
    String format = ConfigProps.trimmed(props, RECORD_FORMAT_CONFIG);
    if (!RecordFormat.ARROW.value().equals(format)) {
      return;
    }
    String policy = ConfigProps.trimmed(props, DEFAULT_CLEANUP_POLICY);
    if (policy.toLowerCase(Locale.ROOT).contains("compact")) {
      problems.add(
          RECORD_FORMAT_CONFIG,
          "record.format=arrow writes records without a key, which a compacted topic rejects, but "
              + DEFAULT_CLEANUP_POLICY
              + "="
              + policy
              + ": create the table topics with cleanup.policy=delete, or use record.format=row");
    }
    String precision = ConfigProps.trimmed(props, SourceConfig.TIMESTAMP_PRECISION_CONFIG);
    if (!precision.isEmpty() && !precision.equals(TimestampPrecision.EXACT.value())) {
      problems.add(
          SourceConfig.TIMESTAMP_PRECISION_CONFIG,
          "timestamp.precision="
              + precision
              + " shapes per-row values, which record.format=arrow does not build: the Arrow batch"
              + " keeps every digit, as 'exact' does; remove timestamp.precision, or use"
              + " record.format=row");
    }
  }
}
