package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.ExactTimestamp;
import io.cqconnect.plugin.testing.Fixtures;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source and sink connectors with JSON payloads whose schemas live in a real schema registry
 * (Apicurio Registry on loopback, Apicurio's {@code ExtJsonConverter}): the payload is the worker
 * JSON converter's without its inline schema, the Connect schema is registered once per subject as
 * Apicurio's Kafka Connect schema type ({@code KCONNECT}), and the record names it by global id.
 * This is not JSON Schema (README, "Schema registry formats"): no Connect converter on Maven
 * Central writes JSON Schema to a registry. The {@code test} source's tables go source → topic →
 * SQLite sink and must equal the CLI's database (types, keys and rows, through {@link
 * EquivalenceRun}), a plain consumer rebuilds the rows from the registered schema, and a column
 * added between syncs registers a second version and reaches the destination.
 *
 * <p>What does not work: ExtJsonConverter 2.6.13 cannot read a record whose value is null ({@code
 * toConnectData} hands the null to Jackson: {@code argument "content" is null}), and every
 * end-of-sync marker is such a record, as is every delete the source forwards as a control record.
 * So the sink runs with {@code errors.tolerance=all} and a dead letter queue, which must receive
 * exactly the markers and nothing else; without markers the sink cannot delete stale rows, so the
 * cases use {@code overwrite}, and they delete nothing.
 */
class SchemaRegistryJsonIT {

  private static final String EXT_JSON = "io.apicurio.registry.utils.converter.ExtJsonConverter";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** First, so the registry starts while the Connect cluster does (it waits on first use). */
  @Order(1)
  @RegisterExtension
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

  /** The equivalence run waits for the sink's committed offsets: commit them often. */
  @Order(2)
  @RegisterExtension
  static final ConnectClusterExtension CONNECT =
      ConnectClusterExtension.builder().offsetFlushIntervalMs(200).build();

  private static ConnectHarness harness;

  @BeforeAll
  static void useCluster() {
    harness = CONNECT.harness();
  }

  /**
   * Every table of the {@code test} source (all of CloudQuery's column types) through
   * ExtJsonConverter on both connectors into SQLite, compared with the CLI's sync of the same spec;
   * then the topics: every subject is a {@code KCONNECT} schema, every record names its subject's
   * schema by global id, and Kafka's own JsonConverter rebuilds the rows from registered schema and
   * payload, logical types included; and the sink's dead letter queue holds the end-of-sync
   * markers, one per table, which the converter could not read.
   */
  @Test
  void shouldSyncTheTestSourceAsTheCliDoesThroughTheRegistry() throws Exception {
    // No delete_records: the source forwards the test source's deletes as control records with a
    // null value, which ExtJsonConverter cannot read either (they would reach the dead letter
    // queue).
    EquivalenceCase c =
        EquivalenceCase.of("regjson", "overwrite", "{\"num_rows\":10,\"num_sub_rows\":2}");
    String dlq = "regjson-dlq";
    EquivalenceRun.Format extJson =
        new EquivalenceRun.Format(
            "extjson", REGISTRY.converters(EXT_JSON), Map.of(), deadLetterQueue(dlq));
    new EquivalenceRun(harness, Files.createTempDirectory("registry-json"), List.of(extJson))
        .run(c, EquivalenceRun.Target.sqlite());

    for (String table : EquivalenceCase.ALL_TABLES) {
      String topic = "regjson-sqlite-extjson." + table;
      for (String subject : List.of(topic + "-key", topic + "-value")) {
        assertThat(REGISTRY.artifactType(subject)).as("type of %s", subject).isEqualTo("KCONNECT");
      }
      assertThat(REGISTRY.versions(topic + "-value"))
          .as("versions of %s", topic)
          .containsExactly("1");
      JsonNode registered = REGISTRY.schema(topic + "-value", "1");
      List<ConsumerRecord<byte[], byte[]>> rows = harness.dataRecords(topic);
      assertThat(rows).as("rows of %s", topic).isNotEmpty();
      for (ConsumerRecord<byte[], byte[]> row : rows) {
        Struct value = decode(topic, row.value(), registered);
        assertThat(value.get(CqMetadata.CQ_ID))
            .as("%s: _cq_id of a decoded row", topic)
            .isNotNull();
      }
    }

    String types = "regjson-sqlite-extjson.test_testdata_table";
    JsonNode schema = REGISTRY.schema(types + "-value", "1");
    assertThat(schema.findValuesAsText("name"))
        .as("Connect logical types in the registered schema of test_testdata_table")
        .contains(Decimal.LOGICAL_NAME, org.apache.kafka.connect.data.Date.LOGICAL_NAME)
        .contains(ExactTimestamp.LOGICAL_NAME);
    assertThat(schema.findValuesAsText(CqMetadata.EXTENSION_NAME))
        .as("extension types of test_testdata_table's columns, as schema parameters")
        .contains(
            CqMetadata.EXT_UUID, CqMetadata.EXT_JSON, CqMetadata.EXT_INET, CqMetadata.EXT_MAC);
    assertThat(schema.findValuesAsText("type")).contains("array", "struct");
    Struct row = decode(types, harness.dataRecords(types).get(0).value(), schema);
    List<Object> decimals =
        row.schema().fields().stream()
            .filter(f -> Decimal.LOGICAL_NAME.equals(f.schema().name()))
            .map(Field::name)
            .map(row::get)
            .toList();
    assertThat(decimals).as("decimal columns of a decoded row").isNotEmpty();
    assertThat(decimals).allMatch(d -> d == null || d instanceof BigDecimal);

    assertOnlyMarkersIn(dlq, EquivalenceCase.ALL_TABLES.size());
  }

  /**
   * Our incremental plugin syncs, then syncs again with a column more: the value subject gets a
   * second version with the column, and the sink, reading both versions' records, adds the column
   * to the SQLite table.
   */
  @Test
  void shouldRegisterAColumnAddedBetweenSyncsAsASecondVersionAndAddItToTheTable() throws Exception {
    String topic = "reg-json-evolve.incr_events_0";
    String artifact = topic + "-value";
    String spec = "{\"tables\":1,\"rows_per_sync\":3,\"full_rows\":1";
    Map<String, String> source =
        SourceConnectors.forFixture("reg-json-evolve", Fixtures.SOURCE_INCREMENTAL, spec + "}");
    source.putAll(REGISTRY.converters(EXT_JSON));
    harness.cluster().configureConnector("reg-json-evolve-source", source);
    Path db = Files.createTempDirectory("registry-json-evolve").resolve("evolve.db");
    Map<String, String> sink =
        SinkConnectors.forFixture(
            Fixtures.DEST_SQLITE, SinkDatabases.sqliteSpec(db), topic, "overwrite");
    sink.putAll(REGISTRY.converters(EXT_JSON));
    sink.putAll(deadLetterQueue("reg-json-evolve-dlq"));
    sink.put("batch.timeout.ms", "300");
    harness.cluster().configureConnector("reg-json-evolve-sink", sink);
    harness.awaitSyncEnds(topic, 1, Duration.ofSeconds(120));

    // A new plugin spec restarts the task, which syncs again with the extra column.
    source.put("plugin.spec", spec + ",\"extra_columns\":[\"note\"]}");
    harness.cluster().configureConnector("reg-json-evolve-source", source);
    harness.awaitSyncEnds(topic, 2, Duration.ofSeconds(120));

    assertThat(REGISTRY.versions(artifact)).containsExactly("1", "2");
    assertThat(fieldNames(REGISTRY.schema(artifact, "1"))).doesNotContain("note");
    assertThat(fieldNames(REGISTRY.schema(artifact, "2"))).contains("note");

    // No state backend: the second sync emits the same three ids again, now with the column.
    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
    await("the second sync's rows in SQLite, with the added column")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> SinkDatabases.query(sqlite, "SELECT id, note FROM incr_events_0").size() == 3);
    assertThat(SinkDatabases.query(sqlite, "SELECT id, note FROM incr_events_0 ORDER BY id"))
        .as("the added column is never filled by the plugin")
        .containsExactly(
            java.util.Arrays.asList(1L, null),
            java.util.Arrays.asList(2L, null),
            java.util.Arrays.asList(3L, null));
    assertOnlyMarkersIn("reg-json-evolve-dlq", 2); // one per sync
  }

  /**
   * Sink settings that send records the converter cannot read to topic {@code dlq}, with Connect's
   * context headers, instead of failing the task.
   */
  private static Map<String, String> deadLetterQueue(String dlq) {
    return Map.of(
        "errors.tolerance", "all",
        "errors.deadletterqueue.topic.name", dlq,
        "errors.deadletterqueue.topic.replication.factor", "1",
        "errors.deadletterqueue.context.headers.enable", "true");
  }

  /**
   * The sink's dead letter queue holds {@code markers} end-of-sync markers and nothing else, each
   * refused by ExtJsonConverter for its null value.
   */
  private static void assertOnlyMarkersIn(String dlq, int markers) {
    await("the end-of-sync markers in " + dlq)
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.syncEnds(dlq) >= markers);
    List<ConsumerRecord<byte[], byte[]>> dead =
        ConnectHarness.records(
            harness.cluster().kafka().bootstrapServers(), dlq, Duration.ofSeconds(10), false);
    assertThat(dead).as("records in %s", dlq).hasSize(markers);
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      Map<String, String> headers = ConnectHarness.headers(r);
      assertThat(headers.get("cq.control")).isEqualTo("sync-end");
      assertThat(r.value()).isNull();
      assertThat(headers.get("__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
      assertThat(headers.get("__connect.errors.exception.message"))
          .contains("argument \"content\" is null");
    }
  }

  /**
   * Decodes a value in ExtJsonConverter's format ({@code {"schemaId": <global id>, "payload":
   * <row>}}) after checking that the id names {@code registered}, with Kafka's own JsonConverter
   * (schemas on) given the registered schema and the payload.
   */
  private static Struct decode(String topic, byte[] value, JsonNode registered) throws Exception {
    JsonNode record = JSON.readTree(value);
    long globalId = record.path("schemaId").asLong(-1);
    assertThat(REGISTRY.schemaByGlobalId(globalId))
        .as("schema of global id %d", globalId)
        .isEqualTo(registered);
    ObjectNode envelope = JSON.createObjectNode();
    envelope.set("schema", registered);
    envelope.set("payload", record.get("payload"));
    try (JsonConverter json = new JsonConverter()) {
      json.configure(Map.of("schemas.enable", "true"), false);
      SchemaAndValue decoded = json.toConnectData(topic, JSON.writeValueAsBytes(envelope));
      return (Struct) decoded.value();
    }
  }

  private static List<String> fieldNames(JsonNode schema) {
    return schema.path("fields").findValuesAsText("field");
  }
}
