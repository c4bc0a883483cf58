package io.cqconnect.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keys of the control records the source writes to table topics. A compacted topic (users compact
 * table topics keyed by primary key) rejects records without a key, so control records carry a
 * string key chosen for what compaction should keep: the latest end-of-sync marker per table and
 * source, and one copy of each distinct forwarded delete. The sink reads their meaning from the
 * {@code cq.control} header, never from the key.
 */
final class ControlKeys {

  private ControlKeys() {}

  /** The key of a table's end-of-sync markers: each marker replaces the previous one. */
  static String syncEnd(String table, String source) {
    return "cq.sync-end/" + source + "/" + table;
  }

  /**
   * The key of a forwarded delete_record: the same delete (same bytes) replaces its earlier copy.
   */
  static String deleteRecord(String table, String source, byte[] message) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
      return "cq.delete-record/"
          + source
          + "/"
          + table
          + "/"
          + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
