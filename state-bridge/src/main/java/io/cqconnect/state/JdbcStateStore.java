package io.cqconnect.state;

import io.cqconnect.config.JdbcUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} in a SQLite file ({@code jdbc:sqlite:path}) or a PostgreSQL database ({@code
 * jdbc:postgresql://...}): one SQL table per state table, named exactly like it, with columns
 * {@code key} (primary key), {@code value} and {@code version}, laid out like CloudQuery's own
 * destination plugins lay it out (see {@link JdbcDialect}).
 *
 * <p>A table written by SDKs older than v4.67 ({@code key} and {@code value} only) gets the
 * nullable {@code version} column added on {@link #migrate}; its stored rows count as version 0,
 * and rows such clients write now are stored as the newest of their key ({@link
 * #writeUnversioned}). A table whose {@code key} has no primary key or unique constraint (created
 * by an append-only destination) is appended to, and {@link #read} keeps the highest version per
 * key. Thread-safe: one connection, used by one call at a time, reopened after it breaks; every
 * write is one committed transaction.
 */
public final class JdbcStateStore implements StateStore {

  static final String KEY = "key";
  static final String VALUE = "value";
  static final String VERSION = "version";

  private static final Logger log = LoggerFactory.getLogger(JdbcStateStore.class);

  /** What {@link #migrate} learned about a table; dropped after any failure so it is re-checked. */
  private record Layout(boolean upsert) {}

  private final String url;
  private final String user;
  private final String password;
  private final JdbcDialect dialect;
  private final Map<String, Layout> layouts = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private Connection connection;
  private boolean closed;

  /** A store at {@code jdbcUrl}, with credentials in the URL or none (SQLite). */
  public JdbcStateStore(String jdbcUrl) {
    this(jdbcUrl, null, null);
  }

  /**
   * A store at {@code jdbcUrl} with a user and password (either may be null). Connects at once, so
   * a wrong URL or unreachable database fails here.
   *
   * @throws IllegalArgumentException if the URL is neither SQLite nor PostgreSQL
   * @throws StateStoreException if the database cannot be reached
   */
  public JdbcStateStore(String jdbcUrl, String user, String password) {
    this.dialect = JdbcDialect.forUrl(jdbcUrl);
    this.url = jdbcUrl;
    this.user = user;
    this.password = password;
    synchronized (lock) {
      try {
        connection();
      } catch (SQLException e) {
        throw new StateStoreException(
            "Could not connect to the state database "
                + JdbcUrls.redact(url)
                + ": "
                + e.getMessage(),
            e,
            true);
      }
    }
  }

  /** The JDBC URL with any password parameter masked, fit for logs and errors. */
  public String describe() {
    return JdbcUrls.redact(url);
  }

  @Override
  public void migrate(String table) {
    requireTableName(table);
    synchronized (lock) {
      run(
          table,
          "migrate",
          conn -> {
            layouts.put(table, migrateLocked(conn, table));
            return null;
          });
    }
  }

  @Override
  public List<StateRow> read(String table) {
    requireTableName(table);
    synchronized (lock) {
      return run(
          table,
          "read",
          conn -> {
            List<String> columns = dialect.columns(conn, table);
            if (columns.isEmpty()) {
              return List.of();
            }
            boolean withVersion = columns.contains(VERSION);
            List<StateRow> rows = new ArrayList<>();
            try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(dialect.select(table, withVersion))) {
              while (rs.next()) {
                String key = rs.getString(1);
                if (key == null) {
                  continue; // a NULL key cannot be looked up by any client
                }
                Long version = withVersion ? dialect.readVersion(rs, 3) : null;
                rows.add(StateRow.of(key, rs.getString(2), version));
              }
            }
            return StateRows.latestPerKey(rows);
          });
    }
  }

  @Override
  public void write(String table, List<StateRow> rows) {
    requireTableName(table);
    Objects.requireNonNull(rows, "rows");
    if (rows.isEmpty()) {
      return;
    }
    synchronized (lock) {
      run(
          table,
          "write",
          conn -> {
            Layout layout = layoutLocked(conn, table);
            return inTransaction(conn, () -> insertLocked(conn, table, layout, rows));
          });
    }
  }

  /**
   * Reads the highest stored version of each key and writes the rows above it in one transaction,
   * holding the locks a concurrent writer of the same key would need (the rows read on PostgreSQL,
   * the database on SQLite) until the commit, so no write slips in between.
   */
  @Override
  public List<StateRow> writeUnversioned(String table, List<StateRow> rows) {
    requireTableName(table);
    Objects.requireNonNull(rows, "rows");
    if (rows.isEmpty()) {
      return List.of();
    }
    synchronized (lock) {
      return run(
          table,
          "write",
          conn -> {
            Layout layout = layoutLocked(conn, table);
            return inTransaction(
                conn,
                () -> {
                  List<StateRow> stored =
                      StateRows.asNewest(rows, currentLocked(conn, table, rows));
                  insertLocked(conn, table, layout, stored);
                  return stored;
                });
          });
    }
  }

  @Override
  public boolean exists(String table) {
    requireTableName(table);
    synchronized (lock) {
      return run(table, "look up", conn -> !dialect.columns(conn, table).isEmpty());
    }
  }

  private Layout layoutLocked(Connection conn, String table) throws SQLException {
    Layout layout = layouts.get(table);
    if (layout == null) {
      layout = migrateLocked(conn, table);
      layouts.put(table, layout);
    }
    return layout;
  }

  /** The stored rows of the keys in {@code rows}, each with its highest version. */
  private Map<String, StateRow> currentLocked(Connection conn, String table, List<StateRow> rows)
      throws SQLException {
    String writeLock = dialect.writeLock(table);
    if (writeLock != null) {
      try (Statement st = conn.createStatement()) {
        st.execute(writeLock);
      }
    }
    List<StateRow> found = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(dialect.selectKeyForUpdate(table))) {
      for (String key : new LinkedHashSet<>(rows.stream().map(StateRow::key).toList())) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(StateRow.of(rs.getString(1), rs.getString(2), dialect.readVersion(rs, 3)));
          }
        }
      }
    }
    return StateRows.byKey(found);
  }

  private Void insertLocked(Connection conn, String table, Layout layout, List<StateRow> rows)
      throws SQLException {
    String sql = layout.upsert() ? dialect.upsert(table) : dialect.append(table);
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (StateRow row : rows) {
        ps.setString(1, row.key());
        ps.setString(2, row.value());
        dialect.bindVersion(ps, 3, row.version());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return null;
  }

  /** What runs inside {@link #inTransaction}. */
  @FunctionalInterface
  private interface TransactionBody<T> {
    T run() throws SQLException;
  }

  /** Runs {@code body} as one committed transaction on {@code conn}, rolled back if it fails. */
  private static <T> T inTransaction(Connection conn, TransactionBody<T> body) throws SQLException {
    conn.setAutoCommit(false);
    try {
      T result = body.run();
      conn.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(conn);
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      closeConnection();
    }
  }

  private Layout migrateLocked(Connection conn, String table) throws SQLException {
    List<String> columns = dialect.columns(conn, table);
    if (columns.isEmpty()) {
      // Creating it takes the database's write lock, which may wait for another writer.
      log.debug("Creating state table '{}' in {}", table, JdbcUrls.redact(url));
      try (Statement st = conn.createStatement()) {
        st.execute(dialect.createTable(table));
      }
      columns = dialect.columns(conn, table);
      log.info("Created state table '{}' in {}", table, JdbcUrls.redact(url));
    }
    if (!columns.contains(KEY) || !columns.contains(VALUE)) {
      throw new StateStoreException(
          "Table '"
              + table
              + "' in "
              + JdbcUrls.redact(url)
              + " is not a CloudQuery state table: it has columns "
              + columns
              + " but needs 'key' and 'value' (and 'version'); pick another state table name",
          null);
    }
    if (!columns.contains(VERSION)) {
      try (Statement st = conn.createStatement()) {
        st.execute(dialect.addVersionColumn(table));
      }
      log.info(
          "Added the 'version' column to state table '{}' (written by an SDK before v4.67);"
              + " its rows count as version 0",
          table);
    }
    boolean upsert = dialect.keyIsUnique(conn, table);
    if (!upsert) {
      log.warn(
          "State table '{}' has no primary key or unique constraint on 'key': rows are appended"
              + " and the highest version per key wins on read",
          table);
    }
    return new Layout(upsert);
  }

  /** One database step on the shared connection; caller holds {@link #lock}. */
  @FunctionalInterface
  private interface Step<T> {
    T apply(Connection conn) throws SQLException;
  }

  private <T> T run(String table, String operation, Step<T> step) {
    if (closed) {
      throw new StateStoreException("The state store " + JdbcUrls.redact(url) + " is closed", null);
    }
    try {
      return step.apply(connection());
    } catch (SQLException e) {
      layouts.remove(table);
      boolean broken = !isUsable();
      if (broken) {
        closeConnection();
      }
      throw new StateStoreException(
          "Could not "
              + operation
              + " state table '"
              + table
              + "' in "
              + JdbcUrls.redact(url)
              + ": "
              + e.getMessage(),
          e,
          broken);
    } catch (StateStoreException e) {
      layouts.remove(table);
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      Connection conn =
          user == null && password == null
              ? DriverManager.getConnection(url)
              : DriverManager.getConnection(url, user, password);
      try {
        conn.setAutoCommit(true);
        dialect.prepareConnection(conn);
      } catch (SQLException e) {
        conn.close();
        throw e;
      }
      connection = conn;
    }
    return connection;
  }

  private boolean isUsable() {
    try {
      return connection != null && connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("Ignoring failure closing the state database connection", e);
      }
      connection = null;
    }
  }

  private static void rollbackQuietly(Connection conn) {
    try {
      conn.rollback();
    } catch (SQLException e) {
      log.debug("Ignoring failed rollback", e);
    }
  }

  private static void requireTableName(String table) {
    if (table == null || table.isEmpty()) {
      throw new IllegalArgumentException("state table name must not be empty");
    }
  }
}
