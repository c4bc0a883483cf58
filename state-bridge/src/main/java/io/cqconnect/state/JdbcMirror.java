package io.cqconnect.state;

import java.util.List;
import java.util.Objects;

/**
 * A {@link StateTableMirror} in a SQLite or PostgreSQL database, through a {@link JdbcStateStore}.
 */
public final class JdbcMirror implements StateTableMirror {

  private final JdbcStateStore store;
  private final String table;
  private final boolean ownsStore;

  /**
   * A mirror of {@code table} at {@code jdbcUrl} with its own connection, closed with the mirror.
   *
   * @param user the database user, or null
   * @param password the database password, or null
   */
  public JdbcMirror(String jdbcUrl, String user, String password, String table) {
    this(new JdbcStateStore(jdbcUrl, user, password), table, true);
  }

  /** A mirror of {@code table} in an existing store, which the caller keeps and closes. */
  public JdbcMirror(JdbcStateStore store, String table) {
    this(store, table, false);
  }

  private JdbcMirror(JdbcStateStore store, String table, boolean ownsStore) {
    this.store = Objects.requireNonNull(store, "store");
    if (table == null || table.isEmpty()) {
      throw new IllegalArgumentException("state table name must not be empty");
    }
    this.table = table;
    this.ownsStore = ownsStore;
  }

  @Override
  public String table() {
    return table;
  }

  @Override
  public void migrate() {
    store.migrate(table);
  }

  @Override
  public List<StateRow> read() {
    return store.read(table);
  }

  @Override
  public void write(List<StateRow> rows) {
    store.write(table, rows);
  }

  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcMirror{" + store.describe() + ", table=" + table + "}";
  }
}
