package io.cqconnect.config;

import java.util.regex.Pattern;

/** JDBC URLs as they may be printed: with any password they carry masked. */
public final class JdbcUrls {

  /** {@code password=...} parameters (PostgreSQL query form, {@code ;}-separated forms). */
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");

  /** {@code //user:password@host} user info. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

  private JdbcUrls() {}

  /** {@code jdbcUrl} with its passwords replaced by {@code ***}; "null" for null. */
  public static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "null";
    }
    String masked = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
    return USER_INFO.matcher(masked).replaceAll("$1***@");
  }
}
