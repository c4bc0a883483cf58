package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/**
 * Connect stores a source partition as the JSON of its map (schemaless {@link JsonConverter}), in
 * the map's key order, and finds it by those bytes. Its offsets REST API (GET, PATCH) reads stored
 * partitions back through the same converter, into a {@link java.util.HashMap}, and writes them in
 * that map's order. A partition whose key order differs is stored under other bytes by the task
 * than by a PATCH: GET shows it without its offset, and a PATCH of it never reaches the task. So
 * every partition the task writes must keep its bytes through that round trip.
 */
class OffsetPartitionLayoutTest {

  private static final JsonConverter CONVERTER = new JsonConverter();

  static {
    CONVERTER.configure(Map.of("schemas.enable", "false"), true);
  }

  /** The partition's stored JSON, and that JSON after the REST API's round trip. */
  private static String[] storedAndRoundTripped(Map<String, Object> partition) {
    byte[] stored = CONVERTER.fromConnectData("offsets", null, partition);
    Object read = CONVERTER.toConnectData("offsets", stored).value();
    byte[] again = CONVERTER.fromConnectData("offsets", null, read);
    return new String[] {
      new String(stored, StandardCharsets.UTF_8), new String(again, StandardCharsets.UTF_8)
    };
  }

  @Test
  void shouldWriteEveryPartitionWithTheBytesARestPatchWrites() {
    for (Map<String, Object> partition :
        List.of(
            CursorOffset.partition("aws", "cq_state_aws", "aws_cloudtrail_events"),
            KeyIndex.partition("aws", "cq_state_aws", 0),
            KeyIndex.partition("aws", "cq_state_aws", 255),
            ScheduleOffset.partition("aws", 0),
            ScheduleOffset.partition("aws", 17))) {
      String[] json = storedAndRoundTripped(partition);
      assertThat(json[1]).as("partition %s", partition).isEqualTo(json[0]);
    }
  }

  @Test
  void shouldStillNameTheLegacyIndexLayoutWhichARestPatchCannotReach() {
    Map<String, Object> legacy = KeyIndex.legacyPartition("aws", "cq_state_aws", 0);
    String[] json = storedAndRoundTripped(legacy);
    assertThat(json[1]).isNotEqualTo(json[0]);
    assertThat(legacy).isEqualTo(KeyIndex.partition("aws", "cq_state_aws", 0));
  }
}
