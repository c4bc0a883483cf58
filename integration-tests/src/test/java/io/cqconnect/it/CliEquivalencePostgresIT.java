package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CLI equivalence cases on CloudQuery's PostgreSQL destination (a database for the CLI and one
 * for each record format).
 */
class CliEquivalencePostgresIT extends CliEquivalenceContract {

  @Override
  EquivalenceRun.Target target() {
    Map<String, String> databases = new ConcurrentHashMap<>();
    java.util.function.Function<String, String> database =
        which -> databases.computeIfAbsent(which, CliEquivalencePostgresIT::newDatabase);
    return new EquivalenceRun.Target(
        Fixtures.DEST_POSTGRESQL,
        DestinationSnapshot.Kind.POSTGRESQL,
        which -> SinkDatabases.postgresSpec(database.apply(which)),
        which -> () -> SinkDatabases.postgres(database.apply(which)));
  }

  private static String newDatabase(String which) {
    try {
      return SinkDatabases.newPostgresDatabase(which);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create PostgreSQL database " + which + " for an equivalence case", e);
    }
  }

  /** JSON and Avro: PostgreSQL's typed columns are where Avro's logical types matter most. */
  @Override
  List<String> defaultFormats() {
    return List.of("json", "avro");
  }
}
