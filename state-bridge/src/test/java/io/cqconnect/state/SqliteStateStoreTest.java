package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest extends JdbcStateStoreContract {

  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("state.db");
  }

  @Override
  protected Map<String, String> columnTypes(Connection conn, String table) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT name, type FROM pragma_table_info(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2).toLowerCase());
        }
      }
    }
    return types;
  }

  @Override
  protected Map<String, String> cloudQueryColumnTypes() {
    // plugins/destination/sqlite: utf8 -> text, uint64 -> integer.
    Map<String, String> m = new LinkedHashMap<>();
    m.put("key", "text");
    m.put("value", "text");
    m.put("version", "integer");
    return m;
  }

  @Override
  protected List<String> primaryKey(Connection conn, String table) throws SQLException {
    List<String> pk = new ArrayList<>();
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pk.add(rs.getString(1));
        }
      }
    }
    return pk;
  }

  @Test
  void shouldRejectUrlWhenNeitherSqliteNorPostgresql() {
    assertThatThrownBy(() -> new JdbcStateStore("jdbc:mysql://localhost/db?password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:sqlite:")
        .hasMessageContaining("jdbc:postgresql://")
        .hasMessageNotContaining("secret");
  }
}
