package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apicurio.registry.utils.converter.AvroConverter;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector's records as Avro through a real schema registry (Apicurio Registry on
 * loopback, Apicurio's AvroConverter): every table of CloudQuery's {@code test} source registers a
 * schema that plain Avro parses and that decodes the topic's bytes, with Connect's logical types as
 * Avro logical types; a column added between two syncs of our incremental plugin registers a second
 * version that the registry accepts under BACKWARD; column names Avro rejects are mapped by the
 * source and written back under their own names by the sink. The sink's side of the {@code test}
 * source's tables (back in a destination, equal to the CLI's) is the CLI equivalence suite ({@link
 * CliEquivalenceContract}), which runs every case in Avro too.
 */
class SchemaRegistryAvroIT {

  private static final String AVRO = "io.apicurio.registry.utils.converter.AvroConverter";
  private static final String NAMES_TOPIC = "reg-names.odd_names";

  @RegisterExtension
  static final ConnectClusterExtension CONNECT = ConnectClusterExtension.shared();

  @RegisterExtension static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

  private static ConnectHarness harness;

  @BeforeAll
  static void useCluster() {
    harness = CONNECT.harness();
  }

  @Test
  void shouldRegisterAnAvroSchemaThatDecodesEveryTableOfTheTestSource() throws Exception {
    Map<String, String> source =
        SourceConnectors.forFixture(
            "reg-types", Fixtures.SOURCE_TEST, "{\"num_rows\":2,\"num_sub_rows\":1}");
    source.putAll(REGISTRY.converters(AVRO));
    harness.cluster().configureConnector("reg-types-source", source);

    for (String table : EquivalenceCase.ALL_TABLES) {
      String topic = "reg-types." + table;
      awaitMarkers(topic, 1);
      List<String> versions = REGISTRY.versions(topic + "-value");
      assertThat(versions).as("value schema versions of %s", topic).containsExactly("1");
      org.apache.avro.Schema registered = parse(REGISTRY.schema(topic + "-value", "1"));

      List<ConsumerRecord<byte[], byte[]>> rows = harness.dataRecords(topic);
      assertThat(rows).as("rows of %s", topic).isNotEmpty();
      for (ConsumerRecord<byte[], byte[]> row : rows) {
        GenericRecord decoded = decode(row.value(), registered);
        assertThat(decoded.get("_cq_id")).as("%s: _cq_id of a decoded row", topic).isNotNull();
      }
    }
    org.apache.avro.Schema types =
        parse(REGISTRY.schema("reg-types.test_testdata_table-value", "1"));
    assertThat(logicalTypes(types, new TreeSet<>()))
        .as("Avro logical types of test_testdata_table")
        .contains("decimal", "date", "timestamp-millis");
  }

  @Test
  void shouldRegisterAColumnAddedBetweenSyncsAsAVersionCompatibleUnderBackward() throws Exception {
    String topic = "reg-evolve.incr_events_0";
    String artifact = topic + "-value";
    String spec = "{\"tables\":1,\"rows_per_sync\":3,\"full_rows\":1";
    Map<String, String> source =
        SourceConnectors.forFixture("reg-evolve", Fixtures.SOURCE_INCREMENTAL, spec + "}");
    source.putAll(REGISTRY.converters(AVRO));
    harness.cluster().configureConnector("reg-evolve-source", source);
    awaitMarkers(topic, 1);
    REGISTRY.compatibility(artifact, "BACKWARD");

    // A new plugin spec restarts the task, which syncs again with the extra column.
    source.put("plugin.spec", spec + ",\"extra_columns\":[\"note\"]}");
    harness.cluster().configureConnector("reg-evolve-source", source);
    awaitMarkers(topic, 2);

    assertThat(REGISTRY.versions(artifact)).containsExactly("1", "2");
    org.apache.avro.Schema second = parse(REGISTRY.schema(artifact, "2"));
    assertThat(second.getField("note")).as("the added column in version 2").isNotNull();
    assertThat(second.getField("note").hasDefaultValue()).isTrue();
    assertThat(parse(REGISTRY.schema(artifact, "1")).getField("note")).isNull();

    // The rule is enforced: a version adding a column without a default is refused.
    ObjectNode incompatible = (ObjectNode) REGISTRY.schema(artifact, "2");
    incompatible.withArray("fields").addObject().put("name", "required_col").put("type", "string");
    assertThat(REGISTRY.register(artifact, incompatible.toString()).statusCode()).isEqualTo(409);
    assertThat(REGISTRY.versions(artifact)).containsExactly("1", "2");
  }

  private void awaitMarkers(String topic, int count) {
    harness.awaitSyncEnds(topic, count, Duration.ofSeconds(120));
  }

  /** Parses a registered schema with Avro's own parser, which checks every name. */
  private static org.apache.avro.Schema parse(JsonNode schema) {
    return new org.apache.avro.Schema.Parser().parse(schema.toString());
  }

  /**
   * Decodes a value in Apicurio's format (magic byte 0, the 8-byte global id of the schema, Avro
   * binary) with plain Avro, after checking that the id names {@code registered}.
   */
  private static GenericRecord decode(byte[] value, org.apache.avro.Schema registered)
      throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    assertThat(buffer.get()).as("magic byte").isZero();
    long globalId = buffer.getLong();
    org.apache.avro.Schema writer = parse(REGISTRY.schemaByGlobalId(globalId));
    assertThat(writer).as("schema of global id %d", globalId).isEqualTo(registered);
    return new GenericDatumReader<GenericRecord>(writer)
        .read(
            null,
            DecoderFactory.get().binaryDecoder(value, buffer.position(), buffer.remaining(), null));
  }

  private static Set<String> logicalTypes(org.apache.avro.Schema schema, Set<String> found) {
    if (schema.getLogicalType() != null) {
      found.add(schema.getLogicalType().getName());
    }
    switch (schema.getType()) {
      case RECORD -> schema.getFields().forEach(f -> logicalTypes(f.schema(), found));
      case UNION -> schema.getTypes().forEach(t -> logicalTypes(t, found));
      case ARRAY -> logicalTypes(schema.getElementType(), found);
      case MAP -> logicalTypes(schema.getValueType(), found);
      default -> {}
    }
    return found;
  }

  /**
   * Column names Avro rejects ({@code key-id}, {@code 1st}, {@code a.b}) through a real schema
   * registry: the source's mapping ({@code FieldNames}: {@code key_id}, {@code _1st}, {@code a_b_2}
   * next to a real {@code a_b}) makes Apicurio's AvroConverter accept the schema, and the sink
   * connector, reading the same Avro records, writes the columns under their original names into
   * CloudQuery's SQLite destination, a tombstone on {@code key-id} included. None of the fixture
   * plugins may emit such names (our incremental plugin refuses them), so the rows are the ones the
   * source connector builds ({@link ArrowToConnect}) and a plain producer sends them.
   */
  @Test
  void shouldWriteColumnsAvroRejectsUnderTheirOriginalNames() throws Exception {
    harness.cluster().kafka().createTopic(NAMES_TOPIC, 1);
    Schema arrow =
        new Schema(
            List.of(
                column(
                    "key-id", new ArrowType.Int(64, true), Map.of(CqMetadata.PRIMARY_KEY, "true")),
                column("1st", ArrowType.Utf8.INSTANCE, Map.of()),
                column("a.b", ArrowType.Utf8.INSTANCE, Map.of()),
                column("a_b", ArrowType.Utf8.INSTANCE, Map.of())),
            Map.of(CqMetadata.TABLE_NAME, "odd_names"));
    ArrowToConnect connect = new ArrowToConnect(CqTable.fromSchema(arrow));
    assertThat(connect.valueSchema().fields())
        .extracting(f -> f.name())
        .containsExactly("key_id", "_1st", "a_b_2", "a_b");

    AvroConverter<Object> keys = converter(true);
    AvroConverter<Object> values = converter(false);
    try (RootAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(arrow, allocator);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      root.allocateNew();
      for (int row = 0; row < 3; row++) {
        ((BigIntVector) root.getVector(0)).setSafe(row, row + 1);
        ((VarCharVector) root.getVector(1)).setSafe(row, ("first-" + (row + 1)).getBytes());
        ((VarCharVector) root.getVector(2)).setSafe(row, ("dotted-" + (row + 1)).getBytes());
        ((VarCharVector) root.getVector(3)).setSafe(row, ("plain-" + (row + 1)).getBytes());
      }
      root.setRowCount(3);
      for (int row = 0; row < 3; row++) {
        send(
            producer,
            keys.fromConnectData(NAMES_TOPIC, connect.keySchema(), connect.key(root, row)),
            values.fromConnectData(NAMES_TOPIC, connect.valueSchema(), connect.value(root, row)));
      }
      // Row 2 deleted: a tombstone whose key field key_id stands for column key-id.
      send(
          producer,
          keys.fromConnectData(NAMES_TOPIC, connect.keySchema(), connect.key(root, 1)),
          null);
    }

    Path db = Files.createTempDirectory("registry-names").resolve("names.db");
    Map<String, String> sink =
        SinkConnectors.forFixture(
            Fixtures.DEST_SQLITE, SinkDatabases.sqliteSpec(db), NAMES_TOPIC, "overwrite");
    sink.putAll(REGISTRY.converters(AVRO));
    sink.put("batch.timeout.ms", "300");
    harness.cluster().configureConnector("reg-names-sink", sink);

    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
    String select = "SELECT \"key-id\", \"1st\", \"a.b\", \"a_b\" FROM odd_names ORDER BY 1";
    await("rows 1 and 3 in SQLite under the original column names")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> SinkDatabases.query(sqlite, select).size() == 2);
    assertThat(SinkDatabases.query(sqlite, select))
        .containsExactly(
            List.of(1L, "first-1", "dotted-1", "plain-1"),
            List.of(3L, "first-3", "dotted-3", "plain-3"));
  }

  @Test
  void shouldBeRejectedByTheAvroConverterWithoutTheMapping() {
    org.apache.kafka.connect.data.Schema raw =
        SchemaBuilder.struct()
            .name("cq.raw.Value")
            .field("my-col", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();
    AvroConverter<Object> values = converter(false);
    assertThatThrownBy(
            () -> values.fromConnectData("reg-names.raw", raw, new Struct(raw).put("my-col", "x")))
        .hasStackTraceContaining("my-col");
  }

  private static Field column(String name, ArrowType type, Map<String, String> metadata) {
    return new Field(name, new FieldType(true, type, null, metadata), null);
  }

  private static AvroConverter<Object> converter(boolean isKey) {
    String side = isKey ? "key.converter." : "value.converter.";
    Map<String, Object> config = new HashMap<>();
    REGISTRY.converters("unused").entrySet().stream()
        .filter(e -> e.getKey().startsWith(side))
        .forEach(e -> config.put(e.getKey().substring(side.length()), e.getValue()));
    AvroConverter<Object> converter = new AvroConverter<>();
    converter.configure(config, isKey);
    return converter;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.cluster().kafka().bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(props);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, byte[] key, byte[] value)
      throws Exception {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(NAMES_TOPIC, 0, key, value);
    record.headers().add("cq.table", "odd_names".getBytes(StandardCharsets.UTF_8));
    producer.send(record).get();
  }
}
