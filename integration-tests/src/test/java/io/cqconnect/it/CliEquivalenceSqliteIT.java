package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CLI equivalence cases on CloudQuery's SQLite destination (two database files). */
class CliEquivalenceSqliteIT extends CliEquivalenceContract {

  private Path dir;

  @Override
  EquivalenceRun.Target target() throws Exception {
    dir = Files.createTempDirectory("equivalence-sqlite");
    return new EquivalenceRun.Target() {
      @Override
      public String plugin() {
        return Fixtures.DEST_SQLITE;
      }

      @Override
      public DestinationSnapshot.Kind kind() {
        return DestinationSnapshot.Kind.SQLITE;
      }

      @Override
      public String spec(String which) {
        return SinkDatabases.sqliteSpec(dir.resolve(which + ".db"));
      }

      @Override
      public SinkDatabases.Connector connector(String which) {
        return () -> SinkDatabases.sqlite(dir.resolve(which + ".db"));
      }
    };
  }
}
