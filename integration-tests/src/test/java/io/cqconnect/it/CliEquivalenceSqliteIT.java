package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CLI equivalence cases on CloudQuery's SQLite destination (a database file for the CLI and one
 * for each record format).
 */
class CliEquivalenceSqliteIT extends CliEquivalenceContract {

  @Override
  EquivalenceRun.Target target() throws Exception {
    Path dir = Files.createTempDirectory("equivalence-sqlite");
    return new EquivalenceRun.Target(
        Fixtures.DEST_SQLITE,
        DestinationSnapshot.Kind.SQLITE,
        which -> SinkDatabases.sqliteSpec(dir.resolve(which + ".db")),
        which -> () -> SinkDatabases.sqlite(dir.resolve(which + ".db")));
  }

  /** JSON and the arrow format (Avro runs on PostgreSQL, whose typed columns test it most). */
  @Override
  List<String> defaultFormats() {
    return List.of("json", "arrow");
  }
}
