package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.util.Map;

/** The CLI equivalence cases on CloudQuery's PostgreSQL destination (two databases). */
class CliEquivalencePostgresIT extends CliEquivalenceContract {

  @Override
  EquivalenceRun.Target target() throws Exception {
    Map<String, String> databases =
        Map.of(
            "a", SinkDatabases.newPostgresDatabase("cli_a"),
            "b", SinkDatabases.newPostgresDatabase("connect_b"));
    return new EquivalenceRun.Target(
        Fixtures.DEST_POSTGRESQL,
        DestinationSnapshot.Kind.POSTGRESQL,
        which -> SinkDatabases.postgresSpec(databases.get(which)),
        which -> () -> SinkDatabases.postgres(databases.get(which)));
  }
}
