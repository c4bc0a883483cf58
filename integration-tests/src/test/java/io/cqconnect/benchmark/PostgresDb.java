package io.cqconnect.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL server both PostgreSQL paths write to: a fresh database per path and run. */
final class PostgresDb {

  private PostgresDb() {}

  static int port() {
    String p = System.getenv("CQ_TEST_POSTGRES_PORT");
    return p == null || p.isBlank() ? 55432 : Integer.parseInt(p.trim());
  }

  /** Creates database {@code name} (dropping one left by an earlier run). */
  static void create(String name) throws SQLException {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
  }

  /** The destination plugin's spec for database {@code name}. */
  static String spec(String name) {
    return "{\"connection_string\":\"postgresql://postgres@127.0.0.1:"
        + port()
        + "/"
        + name
        + "?sslmode=disable\"}";
  }

  /** Rows in the test tables of database {@code name} (0 for a table not created yet). */
  static long rows(String name) throws SQLException {
    long rows = 0;
    try (Connection c = connect(name);
        Statement s = c.createStatement()) {
      for (String table : Workload.TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          rows += rs.getLong(1);
        } catch (SQLException e) {
          if (!"42P01".equals(e.getSQLState())) { // undefined_table: not created yet
            throw e;
          }
        }
      }
    }
    return rows;
  }

  private static Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port() + "/" + db + "?sslmode=disable", "postgres", "");
  }
}
