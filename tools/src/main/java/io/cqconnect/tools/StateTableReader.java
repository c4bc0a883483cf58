package io.cqconnect.tools;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a CloudQuery state table ({@code key}, {@code value}, {@code version}) over JDBC, as the
 * connector's JDBC mirror writes it: what {@code sqlite3 state.db 'select * from cq_state_demo'}
 * would show, without needing the sqlite3 program.
 */
final class StateTableReader {

  private final String jdbcUrl;
  private final String table;

  /** One row of the table. */
  record Row(String value, long version) {}

  StateTableReader(String jdbcUrl, String table) {
    if (!table.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException(
          "state table name '" + table + "' must be letters, digits and '_'");
    }
    this.jdbcUrl = jdbcUrl;
    this.table = table;
  }

  /** Key to row; empty when the table does not exist yet (the mirror creates it on first use). */
  Map<String, Row> read() throws SQLException {
    Map<String, Row> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT \"key\", \"value\", \"version\" FROM \"" + table + "\"")) {
        while (rs.next()) {
          rows.put(rs.getString(1), new Row(rs.getString(2), rs.getLong(3)));
        }
      } catch (SQLException e) {
        if (String.valueOf(e.getMessage()).contains("no such table")) {
          return rows;
        }
        throw e;
      }
    }
    return rows;
  }
}
