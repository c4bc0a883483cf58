package io.cqconnect.config;

/** Where a source connector mirrors committed cursor state, derived from {@code state.mirror.*}. */
public enum StateMirrorKind {
  /** No mirror: state lives in Connect offsets only. */
  NONE,
  /** A running destination plugin dialed at {@code state.mirror.address}. */
  ADDRESS,
  /** A destination plugin binary launched from {@code state.mirror.path}. */
  PATH,
  /** A SQLite or PostgreSQL table reached through {@code state.mirror.jdbc.url}. */
  JDBC
}
