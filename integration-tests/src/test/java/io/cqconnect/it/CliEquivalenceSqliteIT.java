package io.cqconnect.it;

/**
 * The CLI equivalence cases on CloudQuery's SQLite destination (a database file for the CLI and one
 * for each record format).
 */
class CliEquivalenceSqliteIT extends CliEquivalenceContract {

  @Override
  EquivalenceRun.Target target() throws Exception {
    return EquivalenceRun.Target.sqlite();
  }
}
