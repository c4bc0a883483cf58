package io.cqconnect.state;

import io.cqconnect.config.JdbcUrls;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL that differs between the databases a {@link JdbcStateStore} supports.
 *
 * <p>The tables it creates are the ones CloudQuery's own SQLite and PostgreSQL destination plugins
 * create for the state schema (their {@code createTableIfNotExist} with their type mapping: {@code
 * uint64} is {@code integer} on SQLite and {@code numeric(20,0)} on PostgreSQL, the primary key is
 * {@code key}), so the CLI using one of those destinations as its state backend and this store can
 * share one table.
 */
enum JdbcDialect {
  SQLITE("integer") {
    @Override
    String createTable(String table) {
      return "CREATE TABLE IF NOT EXISTS "
          + quote(table)
          + " ("
          + quote(JdbcStateStore.KEY)
          + " text,"
          + quote(JdbcStateStore.VALUE)
          + " text,"
          + quote(JdbcStateStore.VERSION)
          + " integer, CONSTRAINT "
          + quote(table + "_cqpk")
          + " PRIMARY KEY ("
          + quote(JdbcStateStore.KEY)
          + "))";
    }

    @Override
    List<String> columns(Connection conn, String table) throws SQLException {
      List<String> columns = new ArrayList<>();
      try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns.add(rs.getString(1));
          }
        }
      }
      return columns;
    }

    @Override
    boolean keyIsUnique(Connection conn, String table) throws SQLException {
      // A primary key or UNIQUE constraint shows up as a unique index; ON CONFLICT needs one on
      // key.
      List<String> uniqueIndexes = new ArrayList<>();
      try (PreparedStatement ps =
          conn.prepareStatement("SELECT name, \"unique\" FROM pragma_index_list(?)")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getInt(2) == 1) {
              uniqueIndexes.add(rs.getString(1));
            }
          }
        }
      }
      for (String index : uniqueIndexes) {
        List<String> cols = new ArrayList<>();
        try (PreparedStatement ps =
            conn.prepareStatement("SELECT name FROM pragma_index_info(?)")) {
          ps.setString(1, index);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              cols.add(rs.getString(1));
            }
          }
        }
        if (cols.equals(List.of(JdbcStateStore.KEY))) {
          return true;
        }
      }
      return false;
    }

    @Override
    void prepareConnection(Connection conn) throws SQLException {
      // The CLI's SQLite destination may hold the write lock for a moment: wait instead of failing.
      try (Statement st = conn.createStatement()) {
        st.execute("PRAGMA busy_timeout = 10000");
      }
    }

    @Override
    String rowLock() {
      return ""; // no row locks: writeLock() holds the whole database until the commit
    }

    @Override
    String writeLock(String table) {
      // A write that changes nothing still takes the database's write lock (waiting up to the busy
      // timeout). Taken before the read, it keeps a read-then-write transaction from deadlocking
      // with another writer, which SQLite would end at once with "database is locked".
      return "UPDATE "
          + quote(table)
          + " SET "
          + quote(JdbcStateStore.KEY)
          + " = "
          + quote(JdbcStateStore.KEY)
          + " WHERE 0 = 1";
    }

    @Override
    void bindVersion(PreparedStatement ps, int index, long version) throws SQLException {
      // SQLite integers are signed 64-bit, like the CloudQuery SQLite destination stores uint64.
      ps.setLong(index, version);
    }

    @Override
    Long readVersion(ResultSet rs, int index) throws SQLException {
      long v = rs.getLong(index);
      return rs.wasNull() ? null : v;
    }
  },

  POSTGRESQL("numeric(20,0)") {
    @Override
    String createTable(String table) {
      return "CREATE TABLE IF NOT EXISTS "
          + quote(table)
          + " ("
          + quote(JdbcStateStore.KEY)
          + " text NOT NULL,"
          + quote(JdbcStateStore.VALUE)
          + " text,"
          + quote(JdbcStateStore.VERSION)
          + " numeric(20,0), PRIMARY KEY ("
          + quote(JdbcStateStore.KEY)
          + "))";
    }

    @Override
    List<String> columns(Connection conn, String table) throws SQLException {
      List<String> columns = new ArrayList<>();
      try (PreparedStatement ps =
          conn.prepareStatement(
              "SELECT column_name FROM information_schema.columns"
                  + " WHERE table_schema = current_schema() AND table_name = ?"
                  + " ORDER BY ordinal_position")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns.add(rs.getString(1));
          }
        }
      }
      return columns;
    }

    @Override
    boolean keyIsUnique(Connection conn, String table) throws SQLException {
      try (PreparedStatement ps =
          conn.prepareStatement(
              "SELECT tc.constraint_name FROM information_schema.table_constraints tc"
                  + " JOIN information_schema.key_column_usage kcu"
                  + " ON kcu.constraint_schema = tc.constraint_schema"
                  + " AND kcu.constraint_name = tc.constraint_name"
                  + " WHERE tc.table_schema = current_schema() AND tc.table_name = ?"
                  + " AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
                  + " GROUP BY tc.constraint_name"
                  + " HAVING count(*) = 1 AND max(kcu.column_name) = ?")) {
        ps.setString(1, table);
        ps.setString(2, JdbcStateStore.KEY);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }

    @Override
    void prepareConnection(Connection conn) {}

    @Override
    String rowLock() {
      return " FOR UPDATE";
    }

    @Override
    String writeLock(String table) {
      return null; // rowLock() locks the rows read; nothing else needs locking
    }

    @Override
    void bindVersion(PreparedStatement ps, int index, long version) throws SQLException {
      ps.setBigDecimal(index, new BigDecimal(Long.toUnsignedString(version)));
    }

    @Override
    Long readVersion(ResultSet rs, int index) throws SQLException {
      BigDecimal v = rs.getBigDecimal(index);
      if (v == null) {
        return null;
      }
      BigInteger big = v.toBigInteger();
      if (big.signum() < 0 || big.bitLength() > 64) {
        throw new SQLException("version " + v + " is outside the unsigned 64-bit range");
      }
      return big.longValue();
    }
  };

  private final String versionType;

  JdbcDialect(String versionType) {
    this.versionType = versionType;
  }

  /** The dialect of a JDBC URL, or an error naming the supported URL forms. */
  static JdbcDialect forUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "Unsupported JDBC URL '"
            + JdbcUrls.redact(jdbcUrl)
            + "' for the state store; use jdbc:sqlite:<file> or"
            + " jdbc:postgresql://<host>:<port>/<database>");
  }

  /** {@code CREATE TABLE IF NOT EXISTS} with the state columns and the primary key on key. */
  abstract String createTable(String table);

  /** Adds the nullable version column that SDKs before v4.67 did not create. */
  String addVersionColumn(String table) {
    return "ALTER TABLE "
        + quote(table)
        + " ADD COLUMN "
        + quote(JdbcStateStore.VERSION)
        + " "
        + versionType;
  }

  /** Upsert keeping the highest version: an equal version replaces, a lower one is ignored. */
  String upsert(String table) {
    String t = quote(table);
    String version = quote(JdbcStateStore.VERSION);
    return "INSERT INTO "
        + t
        + " ("
        + quote(JdbcStateStore.KEY)
        + ", "
        + quote(JdbcStateStore.VALUE)
        + ", "
        + version
        + ") VALUES (?, ?, ?) ON CONFLICT ("
        + quote(JdbcStateStore.KEY)
        + ") DO UPDATE SET "
        + quote(JdbcStateStore.VALUE)
        + " = excluded."
        + quote(JdbcStateStore.VALUE)
        + ", "
        + version
        + " = excluded."
        + version
        + " WHERE excluded."
        + version
        + " >= COALESCE("
        + t
        + "."
        + version
        + ", 0)";
  }

  /** Plain insert, for a table without a unique key (rows accumulate; reads keep the highest). */
  String append(String table) {
    return "INSERT INTO "
        + quote(table)
        + " ("
        + quote(JdbcStateStore.KEY)
        + ", "
        + quote(JdbcStateStore.VALUE)
        + ", "
        + quote(JdbcStateStore.VERSION)
        + ") VALUES (?, ?, ?)";
  }

  /** Select of the state columns; without version for a table that has none. */
  String select(String table, boolean withVersion) {
    return "SELECT "
        + quote(JdbcStateStore.KEY)
        + ", "
        + quote(JdbcStateStore.VALUE)
        + (withVersion ? ", " + quote(JdbcStateStore.VERSION) : "")
        + " FROM "
        + quote(table);
  }

  /**
   * The state columns of one key's rows ({@code ?} is the key), locking them until the transaction
   * ends where the database can lock single rows.
   */
  String selectKeyForUpdate(String table) {
    return select(table, true) + " WHERE " + quote(JdbcStateStore.KEY) + " = ?" + rowLock();
  }

  /** The clause that locks the selected rows; empty where {@link #writeLock} locks everything. */
  abstract String rowLock();

  /**
   * A statement that takes the write lock a read-then-write transaction needs before it reads, or
   * null if the database needs none.
   */
  abstract String writeLock(String table);

  /** The table's column names (empty if the table does not exist), in table order. */
  abstract List<String> columns(Connection conn, String table) throws SQLException;

  /** Whether a primary key or unique constraint covers exactly the key column. */
  abstract boolean keyIsUnique(Connection conn, String table) throws SQLException;

  /** Session settings applied to every new connection. */
  abstract void prepareConnection(Connection conn) throws SQLException;

  /** Binds an unsigned 64-bit version. */
  abstract void bindVersion(PreparedStatement ps, int index, long version) throws SQLException;

  /** Reads a version column; null when SQL NULL. */
  abstract Long readVersion(ResultSet rs, int index) throws SQLException;

  /** Quotes an identifier with double quotes, doubling any inside. */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
