package io.cqconnect.it;

import java.util.List;

/**
 * The CLI equivalence cases on CloudQuery's SQLite destination (a database file for the CLI and one
 * for each record format).
 */
class CliEquivalenceSqliteIT extends CliEquivalenceContract {

  @Override
  EquivalenceRun.Target target() throws Exception {
    return EquivalenceRun.Target.sqlite();
  }

  /** JSON and the arrow format (Avro runs on PostgreSQL, whose typed columns test it most). */
  @Override
  List<String> defaultFormats() {
    return List.of("json", "arrow");
  }
}
