package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of the CLI equivalence suite: the source plugin and its spec for each sync, the source
 * options both sides get, the destination's write mode, and the tables the sync produces (whose
 * topics the sink reads).
 *
 * @param name a short identifier (connector and topic names)
 * @param plugin the fixture source plugin (CloudQuery's {@code test} source unless said)
 * @param specs the plugin's spec (JSON) for sync 1, 2, ...
 * @param tables the tables the sync writes
 * @param writeMode CloudQuery's write mode on both sides
 * @param sourceSpecYaml extra lines of the CLI source spec (YAML, indented under {@code spec:})
 * @param sourceConnector the same options as source connector keys
 * @param deterministicIds whether {@code _cq_id}s are stable (compared exactly)
 * @param shards 0, or the number of shards: the CLI runs {@code --shard n/N} for each, the
 *     connector {@code table.split=shard} with N tasks
 * @param intendedDelete SQL of the deletes the plugin sends (null if none), see {@link
 *     EquivalenceRun}
 * @param stateTable null, or the state table both sides keep cursors in: the CLI in the destination
 *     ({@code backend_options.connection: @@plugins.dest.connection}), the connector in Connect
 *     offsets mirrored to the same destination plugin
 */
record EquivalenceCase(
    String name,
    String plugin,
    List<String> specs,
    List<String> tables,
    String writeMode,
    List<String> sourceSpecYaml,
    Map<String, String> sourceConnector,
    boolean deterministicIds,
    int shards,
    String intendedDelete,
    String stateTable) {

  static final List<String> ALL_TABLES =
      List.of("test_some_table", "test_sub_table", "test_testdata_table");

  /** A case over every free table of the test source, in write mode {@code writeMode}. */
  static EquivalenceCase of(String name, String writeMode, String... specs) {
    return new EquivalenceCase(
        name,
        Fixtures.SOURCE_TEST,
        List.of(specs),
        ALL_TABLES,
        writeMode,
        List.of(),
        Map.of(),
        false,
        0,
        null,
        null);
  }

  /**
   * A case over our incremental plugin's tables with cursors in {@code stateTable} on both sides.
   */
  static EquivalenceCase incremental(
      String name, String stateTable, List<String> tables, String... specs) {
    return new EquivalenceCase(
        name,
        Fixtures.SOURCE_INCREMENTAL,
        List.of(specs),
        tables,
        "overwrite-delete-stale",
        List.of(),
        Map.of(),
        false,
        0,
        null,
        stateTable);
  }

  /** This case with a source option, spelled for the CLI and for the connector. */
  EquivalenceCase withOption(String yaml, String key, String value) {
    Builder b = toBuilder();
    b.sourceSpecYaml.add(yaml);
    b.sourceConnector.put(key, value);
    b.deterministicIds |= yaml.contains("cq_id: true");
    return b.build();
  }

  /** This case with a source connector option the CLI has no counterpart for. */
  EquivalenceCase withConnectorOption(String key, String value) {
    Builder b = toBuilder();
    b.sourceConnector.put(key, value);
    return b.build();
  }

  /** This case with the deletes its plugin spec asks for, as SQL on the destination. */
  EquivalenceCase deleting(String sql) {
    Builder b = toBuilder();
    b.intendedDelete = sql;
    return b.build();
  }

  /** This case split into {@code n} shards on both sides. */
  EquivalenceCase sharded(int n) {
    Builder b = toBuilder();
    b.sourceConnector.put("table.split", "shard");
    b.sourceConnector.put("tasks.max", Integer.toString(n));
    b.shards = n;
    return b.build();
  }

  /** This case restricted to {@code tables} (the CLI's and the connector's {@code tables}). */
  EquivalenceCase onlyTables(List<String> selected, List<String> produced) {
    Builder b = toBuilder();
    b.tables = produced;
    return b.build()
        .withOption(
            "tables: [" + String.join(", ", selected) + "]", "tables", String.join(",", selected));
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable copy, so each "with" method changes one thing. */
  private static final class Builder {
    private final EquivalenceCase from;
    private final List<String> sourceSpecYaml;
    private final Map<String, String> sourceConnector;
    private List<String> tables;
    private boolean deterministicIds;
    private int shards;
    private String intendedDelete;

    Builder(EquivalenceCase from) {
      this.from = from;
      this.sourceSpecYaml = new ArrayList<>(from.sourceSpecYaml);
      this.sourceConnector = new HashMap<>(from.sourceConnector);
      this.tables = from.tables;
      this.deterministicIds = from.deterministicIds;
      this.shards = from.shards;
      this.intendedDelete = from.intendedDelete;
    }

    EquivalenceCase build() {
      return new EquivalenceCase(
          from.name,
          from.plugin,
          from.specs,
          tables,
          from.writeMode,
          sourceSpecYaml,
          sourceConnector,
          deterministicIds,
          shards,
          intendedDelete,
          from.stateTable);
    }
  }
}
