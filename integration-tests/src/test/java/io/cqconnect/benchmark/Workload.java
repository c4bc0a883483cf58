package io.cqconnect.benchmark;

/**
 * The rows every path syncs: CloudQuery's {@code test} source with {@code num_rows} parents in
 * {@code test_some_table} and {@code num_sub_rows} children each in {@code test_sub_table}.
 */
record Workload(int numRows, int numSubRows, int numSubCols) {

  /** The tables the test source syncs besides the paid one every path skips. */
  static final String[] TABLES = {"test_some_table", "test_sub_table", "test_testdata_table"};

  /** About {@code rows} rows in all, split as 1 parent to 99 children. */
  static Workload ofRows(long rows) {
    int parents = (int) Math.max(1, rows / 100);
    return new Workload(parents, 99, 4);
  }

  /** The same shape with {@code factor} times the parents. */
  Workload times(int factor) {
    return new Workload(numRows * factor, numSubRows, numSubCols);
  }

  /** Parents, their children and the one row of {@code test_testdata_table}. */
  long rows() {
    return numRows + (long) numRows * numSubRows + 1;
  }

  /** The plugin spec as JSON (the connector's {@code plugin.spec}, the CLI's nested spec). */
  String specJson() {
    return "{\"num_rows\":"
        + numRows
        + ",\"num_sub_rows\":"
        + numSubRows
        + ",\"num_sub_cols\":"
        + numSubCols
        + "}";
  }
}
