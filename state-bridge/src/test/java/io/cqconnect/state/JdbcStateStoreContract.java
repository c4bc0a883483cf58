package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What a {@link JdbcStateStore} adds to the store contract, per database. */
abstract class JdbcStateStoreContract extends StateStoreContract {

  /** The database's JDBC URL (with credentials, if any). */
  protected abstract String url();

  /** Column name to SQL type as the database reports it, in table order. */
  protected abstract Map<String, String> columnTypes(Connection conn, String table)
      throws SQLException;

  /** The column types CloudQuery's own destination plugin creates for the state schema. */
  protected abstract Map<String, String> cloudQueryColumnTypes();

  /** The columns of the table's primary key. */
  protected abstract List<String> primaryKey(Connection conn, String table) throws SQLException;

  @Override
  protected StateStore open() {
    return new JdbcStateStore(url());
  }

  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  protected void sql(String statement) throws SQLException {
    try (Connection conn = connect();
        Statement st = conn.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void shouldCreateTheTableCloudQueryDestinationsCreate() throws SQLException {
    String t = table();
    store.migrate(t);

    try (Connection conn = connect()) {
      assertThat(columnTypes(conn, t)).containsExactlyEntriesOf(cloudQueryColumnTypes());
      assertThat(primaryKey(conn, t)).containsExactly("key");
    }
  }

  @Test
  void shouldKeepRowsWhenStoreIsReopened() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "durable", 4)));
    store.close();

    store = open();
    assertThat(store.read(t)).containsExactly(new StateRow("k", "durable", 4));
  }

  @Test
  void shouldAddVersionColumnWhenTableHasOnlyKeyAndValue() throws SQLException {
    String t = table();
    sql(
        "CREATE TABLE \""
            + t
            + "\" (\"key\" text NOT NULL, \"value\" text, PRIMARY KEY (\"key\"))");
    sql("INSERT INTO \"" + t + "\" (\"key\", \"value\") VALUES ('old', 'from-sdk-4.36')");

    assertThat(store.read(t)).containsExactly(new StateRow("old", "from-sdk-4.36", 0));
    store.migrate(t);

    try (Connection conn = connect()) {
      assertThat(columnTypes(conn, t)).containsKeys("key", "value", "version");
    }
    assertThat(store.read(t)).containsExactly(new StateRow("old", "from-sdk-4.36", 0));
    store.write(t, List.of(new StateRow("old", "upgraded", 1)));
    assertThat(store.read(t)).containsExactly(new StateRow("old", "upgraded", 1));
  }

  @Test
  void shouldKeepHighestVersionWhenTableHasNoUniqueKey() throws SQLException {
    String t = table();
    sql("CREATE TABLE \"" + t + "\" (\"key\" text, \"value\" text)");
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "v2", 2)));
    store.write(t, List.of(new StateRow("k", "v1", 1)));
    store.write(t, List.of(new StateRow("j", "v9", 9)));

    assertThat(store.read(t))
        .containsExactlyInAnyOrder(new StateRow("k", "v2", 2), new StateRow("j", "v9", 9));
  }

  @Test
  void shouldStoreAnUnversionedRowAboveTheHighestWhenTheTableHasNoUniqueKey() throws SQLException {
    String t = table();
    sql("CREATE TABLE \"" + t + "\" (\"key\" text, \"value\" text)");
    store.write(t, List.of(new StateRow("k", "v7", 7)));
    store.write(t, List.of(new StateRow("k", "v3", 3)));

    assertThat(store.writeUnversioned(t, List.of(StateRow.of("k", "u", null))))
        .containsExactly(new StateRow("k", "u", 8));
    assertThat(store.read(t)).containsExactly(new StateRow("k", "u", 8));
  }

  @Test
  void shouldStoreAnUnversionedRowAsVersionOneInATableOfAnSdkBeforeVersions() throws SQLException {
    String t = table();
    sql(
        "CREATE TABLE \""
            + t
            + "\" (\"key\" text NOT NULL, \"value\" text, PRIMARY KEY (\"key\"))");
    sql("INSERT INTO \"" + t + "\" (\"key\", \"value\") VALUES ('old', 'from-sdk-4.36')");

    store.writeUnversioned(t, List.of(StateRow.of("old", "still-4.36", null)));

    assertThat(store.read(t)).containsExactly(new StateRow("old", "still-4.36", 1));
  }

  /** Two stores as two processes on one database: enough writes that they overlap many times. */
  @Test
  void shouldNotLoseAnUnversionedWriteWhenTwoStoresWriteTheSameKeyAtOnce() throws Exception {
    String t = table();
    store.write(t, List.of(new StateRow("k", "seed", 1)));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (StateStore other = open()) {
      List<Future<?>> futures = new ArrayList<>();
      for (StateStore writer : List.of(store, other)) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    writer.writeUnversioned(t, List.of(StateRow.of("k", "v", null)));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v", 201));
  }

  @Test
  void shouldKnowATableThatAnotherProcessCreated() throws SQLException {
    String t = table();
    assertThat(store.exists(t)).isFalse();

    sql(
        "CREATE TABLE \""
            + t
            + "\" (\"key\" text NOT NULL, \"value\" text, PRIMARY KEY (\"key\"))");

    assertThat(store.exists(t)).isTrue();
  }

  @Test
  void shouldRefuseTableWhenItIsNotAStateTable() throws SQLException {
    String t = table();
    sql("CREATE TABLE \"" + t + "\" (\"id\" integer, \"name\" text)");

    assertThatThrownBy(() -> store.migrate(t))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("'" + t + "'")
        .hasMessageContaining("is not a CloudQuery state table")
        .hasMessageContaining("id");
  }

  @Test
  void shouldQuoteTableNamesWhenTheyNeedIt() {
    String t = "State Table \"" + table() + "\"";
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "v", 1)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v", 1));
  }
}
