package io.cqconnect.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a CloudQuery destination database holds, in a form two databases can be compared by: every
 * table's definition (columns, SQL types, nullability, keys and constraints as the database reports
 * them) and its rows, sorted.
 *
 * <p>Values that legitimately differ between two syncs of the same data are replaced by their
 * shape: {@code _cq_sync_time} by its rank among the database's sync times ({@code sync#1} is the
 * oldest), so rows are still tied to the sync that wrote them; a random {@code _cq_id} by {@code
 * <uuid>} and {@code _cq_parent_id} by the row it points to (exact when {@code deterministic_cq_id}
 * makes them stable); the test plugin's random {@code extra_column_*} and its clock-valued {@code
 * time*}/{@code timestamp*} columns by their type class. Everything else is compared exactly.
 */
record DestinationSnapshot(Map<String, List<String>> definitions, Map<String, List<String>> rows) {

  /**
   * Tables without a natural key: CloudQuery's SDK keeps their {@code _cq_id} random even with
   * {@code deterministic_cq_id}, since it hashes the key columns.
   */
  private static final Set<String> RANDOM_ID_TABLES = Set.of("test_testdata_table");

  /** A nested {@code "time...": "value"}, quotes possibly escaped. */
  private static final Pattern NESTED_CLOCK =
      Pattern.compile("(\\\\*\"time[a-z0-9_]*\\\\*\"\\s*:\\s*\\\\*\")[^\"\\\\]*");

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** Which destination a snapshot reads. */
  enum Kind {
    SQLITE,
    POSTGRESQL
  }

  /** Reads every user table of the database. */
  static DestinationSnapshot read(Kind kind, SinkDatabases.Connector db, boolean deterministicIds) {
    try (Connection c = db.open()) {
      Map<String, List<String>> definitions = new TreeMap<>();
      Map<String, List<Map<String, String>>> raw = new TreeMap<>();
      for (String table : tables(kind, c)) {
        List<Map<String, String>> rows = rawRows(c, table);
        List<String> definition = definition(kind, c, table);
        if (table.equals("test_testdata_table")) {
          definition.add(
              "finest timestamp value: " + finestTimestampDigits(rows) + " fractional digits");
        }
        definitions.put(table, definition);
        raw.put(table, rows);
      }
      return new DestinationSnapshot(definitions, normalize(raw, deterministicIds));
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the destination database failed: " + e, e);
    }
  }

  /** A readable, line-by-line form, for assertion messages and diffs. */
  String describe() {
    StringBuilder out = new StringBuilder();
    definitions.forEach(
        (table, lines) -> {
          out.append("table ").append(table).append('\n');
          lines.forEach(l -> out.append("  def ").append(l).append('\n'));
          rows.get(table).forEach(r -> out.append("  row ").append(r).append('\n'));
        });
    return out.toString();
  }

  private static List<String> tables(Kind kind, Connection c) throws SQLException {
    String sql =
        kind == Kind.SQLITE
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
    List<String> out = new ArrayList<>();
    for (List<String> row : select(c, sql)) {
      out.add(row.get(0));
    }
    return out;
  }

  private static List<String> definition(Kind kind, Connection c, String table)
      throws SQLException {
    List<String> out = new ArrayList<>();
    if (kind == Kind.SQLITE) {
      for (List<String> row : select(c, "PRAGMA table_info(\"" + table + "\")")) {
        out.add("column " + String.join("|", row));
      }
      for (List<String> row :
          select(
              c,
              "SELECT type, sql FROM sqlite_master WHERE tbl_name = '"
                  + table
                  + "' ORDER BY type, name")) {
        out.add(row.get(0) + " " + row.get(1));
      }
      return out;
    }
    for (List<String> row :
        select(
            c,
            "SELECT ordinal_position, column_name, data_type, udt_name, is_nullable,"
                + " column_default FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = '"
                + table
                + "' ORDER BY ordinal_position")) {
      out.add("column " + String.join("|", row));
    }
    for (List<String> row :
        select(
            c,
            "SELECT con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint"
                + " con JOIN pg_class rel ON rel.oid = con.conrelid WHERE rel.relname = '"
                + table
                + "' ORDER BY con.conname")) {
      out.add("constraint " + String.join("|", row));
    }
    for (List<String> row :
        select(
            c,
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND"
                + " tablename = '"
                + table
                + "' ORDER BY indexname")) {
      out.add("index " + String.join("|", row));
    }
    return out;
  }

  private static List<Map<String, String>> rawRows(Connection c, String table) throws SQLException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static Map<String, List<String>> normalize(
      Map<String, List<Map<String, String>>> raw, boolean deterministicIds) {
    // Sync times rank per source name: shards (<name>_<n>_<N>) each have their own sync times.
    Map<String, Set<Instant>> syncTimes = new HashMap<>();
    Map<String, String> byId = new HashMap<>();
    raw.forEach(
        (table, rows) -> {
          for (Map<String, String> row : rows) {
            String time = row.get("_cq_sync_time");
            if (time != null) {
              syncTimes
                  .computeIfAbsent(row.get("_cq_source_name"), k -> new TreeSet<>())
                  .add(instant(time));
            }
            String id = row.get("_cq_id");
            if (id != null) {
              byId.put(id, table + describeOwn(row));
            }
          }
        });
    Map<String, List<Instant>> ranks = new HashMap<>();
    syncTimes.forEach((source, times) -> ranks.put(source, new ArrayList<>(times)));
    Map<String, List<String>> out = new TreeMap<>();
    raw.forEach(
        (table, rows) -> {
          List<String> lines = new ArrayList<>();
          for (Map<String, String> row : rows) {
            Map<String, String> shaped = new LinkedHashMap<>();
            row.forEach(
                (column, value) ->
                    shaped.put(
                        column,
                        shape(
                            table,
                            column,
                            value,
                            ranks.getOrDefault(row.get("_cq_source_name"), List.of()),
                            byId,
                            deterministicIds)));
            lines.add(shaped.toString());
          }
          lines.sort(null);
          out.put(table, lines);
        });
    return out;
  }

  private static String shape(
      String table,
      String column,
      String value,
      List<Instant> syncTimes,
      Map<String, String> byId,
      boolean deterministicIds) {
    if (value == null) {
      return "null";
    }
    switch (column) {
      case "_cq_sync_time":
        return "sync#" + (syncTimes.indexOf(instant(value)) + 1);
      case "_cq_id":
        boolean stable = deterministicIds && !RANDOM_ID_TABLES.contains(table);
        return stable ? value : UUID.matcher(value).matches() ? "<uuid>" : value;
      case "_cq_parent_id":
        String parent = byId.get(value);
        return deterministicIds ? value : parent == null ? "<parent not in the database>" : parent;
      default:
        break;
    }
    if (column.startsWith("extra_column_")) {
      return "<random int64>";
    }
    if (table.equals("test_testdata_table")) {
      if (isClock(column)) {
        return "<clock value>";
      }
      if (value.startsWith("{") || value.startsWith("[")) {
        return withoutClockValues(value);
      }
    }
    return value;
  }

  /**
   * The most digits below the second among the timestamp values of a table (columns and nested
   * fields): the values differ between runs, their precision must not. CloudQuery's timestamps are
   * microseconds, so 6 unless a path drops digits (with overwhelming probability: every one of the
   * table's timestamp values would have to end in zeros).
   */
  private static int finestTimestampDigits(List<Map<String, String>> rows) {
    int finest = 0;
    java.util.regex.Matcher m =
        Pattern.compile("\\b\"?(timestamp[a-z0-9_]*)\"?[=:]\"?[^\",}]*?\\.(\\d+)")
            .matcher(rows.toString());
    while (m.find()) {
      finest = Math.max(finest, m.group(2).replaceAll("0+$", "").length());
    }
    return finest;
  }

  /** The test plugin's time and timestamp columns hold the plugin's clock at start. */
  private static boolean isClock(String column) {
    return column.startsWith("time");
  }

  /**
   * A struct or list with its clock-valued fields, at any depth, shaped. A regular expression, not
   * a JSON parser: PostgreSQL prints a list of structs as an array literal of escaped JSON texts.
   */
  private static String withoutClockValues(String text) {
    return NESTED_CLOCK.matcher(text).replaceAll("$1<clock value>");
  }

  /** A row's own values (no CloudQuery columns), to name it as a parent. */
  private static String describeOwn(Map<String, String> row) {
    Map<String, String> own = new TreeMap<>();
    row.forEach(
        (k, v) -> {
          if (!k.startsWith("_cq_") && !k.startsWith("extra_column_")) {
            own.put(k, v);
          }
        });
    return own.toString();
  }

  /** A sync time as SQLite (RFC 3339 text) or PostgreSQL (timestamp text) returns it. */
  static Instant instant(String text) {
    String t = text.trim().replace(' ', 'T');
    if (t.endsWith("+00") || t.endsWith("+00:00")) {
      t = t.substring(0, t.lastIndexOf('+')) + "Z";
    }
    if (!t.endsWith("Z")) {
      t = t + "Z";
    }
    return Instant.parse(t);
  }

  private static List<List<String>> select(Connection c, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
