package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CLI equivalence cases: for each, the real CloudQuery CLI syncs CloudQuery's {@code test}
 * source into one database, and source connector → Kafka → sink connector pipelines sync it into
 * one database per record format of the same destination, and every format's database must equal
 * the CLI's after every sync. The CLI runs once per sync; the formats are the worker's JSON
 * converters with schemas, Apicurio's AvroConverter for keys and values against a real Apicurio
 * Registry on loopback, and the source's {@code record.format=arrow} with ByteArrayConverter (so
 * every Connect schema the source produces must be a valid Avro schema, with the field-name mapping
 * of {@code FieldNames} and Avro's logical types, and come back from Avro as the sink needs it).
 *
 * <p>Subclasses name the destination and the formats it runs in the default build: JSON on every
 * destination, each other format on one of them, so that every format and every destination is
 * compared with the CLI in each build at two thirds of the time of the whole matrix. {@code
 * -Dcq.equivalence.formats=json,avro,arrow} (Maven profile {@code every-format}) runs every format
 * on every destination.
 *
 * <p>One instance per class ({@code PER_CLASS}), so that the registry extension can ask it, before
 * the cluster starts, whether its formats include Avro: the registry (a JVM of its own) starts only
 * for a class that runs Avro.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliEquivalenceContract {

  private static final String ROWS_200 = "{\"num_rows\":200,\"num_sub_rows\":2}";
  private static final String AVRO = "io.apicurio.registry.utils.converter.AvroConverter";

  /**
   * First, so the registry starts while the Connect cluster does (it waits on first use); only for
   * a class whose formats include Avro.
   */
  @Order(1)
  @RegisterExtension
  static final SchemaRegistryExtension REGISTRY =
      new SchemaRegistryExtension(
          context -> ((CliEquivalenceContract) context.getRequiredTestInstance()).runsAvro());

  @Order(2)
  @RegisterExtension
  static final ConnectClusterExtension CONNECT =
      // Each sync waits for the sink's committed offsets: commit them often. What is compared (the
      // databases) does not depend on when offsets are committed.
      ConnectClusterExtension.builder().offsetFlushIntervalMs(200).build();

  private static ConnectHarness harness;
  private static Path work;

  private long subjectsBefore;

  /** The destination of this suite. */
  abstract EquivalenceRun.Target target() throws Exception;

  /** The names of the formats this destination runs unless {@code cq.equivalence.formats} says. */
  abstract List<String> defaultFormats();

  /**
   * The record formats every case runs in, each compared with the same CLI result: of JSON, Avro
   * and the source's {@code record.format=arrow} (one record per plugin insert with its Arrow IPC
   * bytes, values through ByteArrayConverter, keys the worker's JSON, each batch written as it
   * came) those named by {@code cq.equivalence.formats}, or else by {@link #defaultFormats()}.
   */
  private List<EquivalenceRun.Format> formats() {
    List<String> names = formatNames();
    List<EquivalenceRun.Format> formats =
        Stream.of("json", "avro", "arrow")
            .filter(names::contains)
            .map(CliEquivalenceContract::format)
            .toList();
    assertThat(formats)
        .as("record formats named by " + names + " (json, avro, arrow)")
        .isNotEmpty();
    return formats;
  }

  private List<String> formatNames() {
    String chosen = System.getProperty("cq.equivalence.formats", "").strip();
    return chosen.isEmpty() ? defaultFormats() : List.of(chosen.split("\\s*,\\s*"));
  }

  private boolean runsAvro() {
    return formatNames().contains("avro");
  }

  /** The format named {@code name}; Avro's asks the registry for its converter settings. */
  private static EquivalenceRun.Format format(String name) {
    return switch (name) {
      case "json" -> EquivalenceRun.Format.WORKER_JSON;
      case "avro" -> new EquivalenceRun.Format("avro", REGISTRY.converters(AVRO));
      default -> ARROW;
    };
  }

  private static final EquivalenceRun.Format ARROW =
      new EquivalenceRun.Format(
          "arrow",
          Map.of("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"),
          Map.of("record.format", "arrow"));

  @BeforeAll
  static void useCluster() throws Exception {
    harness = CONNECT.harness();
    work = Files.createTempDirectory("cli-equivalence");
  }

  @BeforeEach
  void countSubjects() throws Exception {
    if (runsAvro()) {
      subjectsBefore = REGISTRY.artifactCount();
    }
  }

  /** Each case writes Avro topics of its own: their subjects show the Avro connectors used Avro. */
  @AfterEach
  void checkTheCaseRegisteredSchemas() throws Exception {
    if (!runsAvro()) {
      return;
    }
    assertThat(REGISTRY.artifactCount())
        .as("subjects in the registry after the case (its Avro connectors register theirs)")
        .isGreaterThan(subjectsBefore);
  }

  private void run(EquivalenceCase c) throws Exception {
    run(c, formats());
  }

  private void run(EquivalenceCase c, List<EquivalenceRun.Format> formats) throws Exception {
    new EquivalenceRun(harness, work, formats).run(c, target());
  }

  @Test
  void shouldDeleteStaleRowsAsTheCliDoesWhenUpstreamRowsDisappear() throws Exception {
    run(
        EquivalenceCase.of(
            "stale",
            "overwrite-delete-stale",
            ROWS_200,
            "{\"num_rows\":150,\"num_sub_rows\":2}",
            "{\"num_rows\":0,\"num_sub_rows\":2}"));
  }

  @Test
  void shouldDropDigitsBelowTheMillisecondOnlyWithTheDefaultTimestampPrecision() {
    // The suite runs with timestamp.precision=exact; Connect's default Timestamp keeps ms.
    EquivalenceCase c =
        EquivalenceCase.of("millis", "overwrite-delete-stale", "{\"num_rows\":1}")
            .onlyTables(List.of("test_testdata_table"), List.of("test_testdata_table"))
            .withConnectorOption("timestamp.precision", "milliseconds");
    // Not in the arrow format: it carries the plugin's timestamps as they are, and rejects
    // timestamp.precision=milliseconds at validate (SourceFormatKeysTest).
    List<EquivalenceRun.Format> formats =
        formats().stream().filter(f -> !f.name().equals("arrow")).toList();
    EquivalenceRun.Differs differs =
        catchThrowableOfType(EquivalenceRun.Differs.class, () -> run(c, formats));
    assertThat(differs).as("the case's databases differ from the CLI's").isNotNull();
    assertThat(differs.byFormat())
        .as("formats that differ")
        .containsOnlyKeys(formats.stream().map(EquivalenceRun.Format::name).toList());
    differs
        .byFormat()
        .forEach(
            (format, message) ->
                assertThat(message)
                    .as(format)
                    .containsPattern(
                        "only CLI: +def finest timestamp value: [4-6] fractional digits")
                    // At most 3: a millisecond value ending in zeros prints fewer digits.
                    .containsPattern(
                        "only Connect: +def finest timestamp value: [0-3] fractional digits"));
  }

  @Test
  void shouldAppendEverySyncAsTheCliDoes() throws Exception {
    run(EquivalenceCase.of("append", "append", "{\"num_rows\":20}", "{\"num_rows\":10}"));
  }

  @Test
  void shouldUpsertWithoutDeletingInOverwriteMode() throws Exception {
    run(EquivalenceCase.of("overwrite", "overwrite", "{\"num_rows\":20}", "{\"num_rows\":10}"));
  }

  @Test
  void shouldKeyTablesOnCqIdWithDeterministicIds() throws Exception {
    run(
        EquivalenceCase.of(
                "detid", "overwrite-delete-stale", "{\"num_rows\":20}", "{\"num_rows\":10}")
            .withOption("deterministic_cq_id: true", "deterministic.cq.id", "true"));
  }

  @Test
  void shouldCreateTablesThatAreEmptyOnTheFirstSync() throws Exception {
    run(
        EquivalenceCase.of(
            "empty", "overwrite-delete-stale", "{\"num_rows\":0}", "{\"num_rows\":10}"));
  }

  @Test
  void shouldDeleteTheRecordsThePluginDeletes() throws Exception {
    run(
        EquivalenceCase.of(
                "delrec",
                "overwrite-delete-stale",
                "{\"num_rows\":10,\"num_sub_rows\":2,\"delete_records\":[2,3]}")
            .deleting("DELETE FROM test_some_table WHERE resource_id IN (2, 3)"));
  }

  /**
   * Three clients spread over three shards. No sub-table rows: test_sub_table's key has no client
   * column, so rows of different clients would overwrite each other in whatever order the shards
   * write them, in the CLI's database as in Connect's.
   */
  @Test
  void shouldDeleteOnlyEachShardsOwnStaleRows() throws Exception {
    run(
        EquivalenceCase.of(
                "shards",
                "overwrite-delete-stale",
                "{\"num_clients\":3,\"num_rows\":10,\"num_sub_rows\":0}",
                "{\"num_clients\":3,\"num_rows\":8,\"num_sub_rows\":0}")
            .sharded(3));
  }

  /**
   * Our incremental plugin with cursors on both sides: the CLI keeps them in the destination, the
   * connector in Connect offsets mirrored to the same destination. The incremental table is never
   * delete-staled (a state backend is in use), the full table is; the state tables must match too.
   */
  @Test
  void shouldResumeIncrementalTablesAndKeepTheSameStateTableAsTheCli() throws Exception {
    String spec = "{\"tables\":1,\"rows_per_sync\":20,\"batch_rows\":5,\"full_rows\":5}";
    run(
        EquivalenceCase.incremental(
            "incr", "cq_state_incr", List.of("incr_events_0", "full_items"), spec, spec));
  }

  @Test
  void shouldSyncOnlyTheSelectedTableWithSkipDependentTables() throws Exception {
    run(
        EquivalenceCase.of("skipdep", "overwrite-delete-stale", "{\"num_rows\":10}")
            .onlyTables(List.of("test_some_table"), List.of("test_some_table"))
            .withOption("skip_dependent_tables: true", "skip.dependent.tables", "true"));
  }

  @Test
  void shouldSyncChildTablesWithoutSkipDependentTables() throws Exception {
    run(
        EquivalenceCase.of("withdep", "overwrite-delete-stale", "{\"num_rows\":10}")
            .onlyTables(List.of("test_some_table"), List.of("test_some_table", "test_sub_table"))
            .withOption("skip_dependent_tables: false", "skip.dependent.tables", "false"));
  }
}
