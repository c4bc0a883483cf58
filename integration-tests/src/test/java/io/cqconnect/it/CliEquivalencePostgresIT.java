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
    return new EquivalenceRun.Target() {
      @Override
      public String plugin() {
        return Fixtures.DEST_POSTGRESQL;
      }

      @Override
      public DestinationSnapshot.Kind kind() {
        return DestinationSnapshot.Kind.POSTGRESQL;
      }

      @Override
      public String spec(String which) {
        return SinkDatabases.postgresSpec(databases.get(which));
      }

      @Override
      public SinkDatabases.Connector connector(String which) {
        return () -> SinkDatabases.postgres(databases.get(which));
      }
    };
  }
}
