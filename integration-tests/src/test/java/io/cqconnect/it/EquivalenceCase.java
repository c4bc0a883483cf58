package io.cqconnect.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of the CLI equivalence suite: the {@code test} source's spec for each sync, the source
 * options both sides get, the destination's write mode, and the tables the sync produces (whose
 * topics the sink reads).
 *
 * @param name a short identifier (connector and topic names)
 * @param specs the {@code test} plugin's spec (JSON) for sync 1, 2, ...
 * @param tables the tables the sync writes
 * @param writeMode CloudQuery's write mode on both sides
 * @param sourceSpecYaml extra lines of the CLI source spec (YAML, indented under {@code spec:})
 * @param sourceConnector the same options as source connector keys
 * @param deterministicIds whether {@code _cq_id}s are stable (compared exactly)
 * @param shards 0, or the number of shards: the CLI runs {@code --shard n/N} for each, the
 *     connector {@code table.split=shard} with N tasks
 * @param intendedDelete SQL of the deletes the plugin sends (null if none), see {@link
 *     EquivalenceRun}
 */
record EquivalenceCase(
    String name,
    List<String> specs,
    List<String> tables,
    String writeMode,
    List<String> sourceSpecYaml,
    Map<String, String> sourceConnector,
    boolean deterministicIds,
    int shards,
    String intendedDelete) {

  static final List<String> ALL_TABLES =
      List.of("test_some_table", "test_sub_table", "test_testdata_table");

  /** A case over every free table of the test source, in write mode {@code writeMode}. */
  static EquivalenceCase of(String name, String writeMode, String... specs) {
    return new EquivalenceCase(
        name, List.of(specs), ALL_TABLES, writeMode, List.of(), Map.of(), false, 0, null);
  }

  /** This case with a source option, spelled for the CLI and for the connector. */
  EquivalenceCase withOption(String yaml, String key, String value) {
    List<String> lines = new ArrayList<>(sourceSpecYaml);
    lines.add(yaml);
    Map<String, String> props = new HashMap<>(sourceConnector);
    props.put(key, value);
    return new EquivalenceCase(
        name,
        specs,
        tables,
        writeMode,
        lines,
        props,
        deterministicIds || yaml.contains("cq_id: true"),
        shards,
        intendedDelete);
  }

  /** This case with a source connector option the CLI has no counterpart for. */
  EquivalenceCase withConnectorOption(String key, String value) {
    Map<String, String> props = new HashMap<>(sourceConnector);
    props.put(key, value);
    return new EquivalenceCase(
        name,
        specs,
        tables,
        writeMode,
        sourceSpecYaml,
        props,
        deterministicIds,
        shards,
        intendedDelete);
  }

  /** This case with the deletes its plugin spec asks for, as SQL on the destination. */
  EquivalenceCase deleting(String sql) {
    return new EquivalenceCase(
        name,
        specs,
        tables,
        writeMode,
        sourceSpecYaml,
        sourceConnector,
        deterministicIds,
        shards,
        sql);
  }

  /** This case split into {@code n} shards on both sides. */
  EquivalenceCase sharded(int n) {
    Map<String, String> props = new HashMap<>(sourceConnector);
    props.put("table.split", "shard");
    props.put("tasks.max", Integer.toString(n));
    return new EquivalenceCase(
        name, specs, tables, writeMode, sourceSpecYaml, props, deterministicIds, n, intendedDelete);
  }

  /** This case restricted to {@code tables} (the CLI's and the connector's {@code tables}). */
  EquivalenceCase onlyTables(List<String> selected, List<String> produced) {
    return new EquivalenceCase(
            name,
            specs,
            produced,
            writeMode,
            sourceSpecYaml,
            sourceConnector,
            deterministicIds,
            shards,
            intendedDelete)
        .withOption(
            "tables: [" + String.join(", ", selected) + "]", "tables", String.join(",", selected));
  }
}
