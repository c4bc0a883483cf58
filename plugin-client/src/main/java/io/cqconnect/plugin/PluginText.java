package io.cqconnect.plugin;

/**
 * Makes text a plugin wrote safe to log and to show in a task's failure: control characters and
 * line breaks are escaped, so a plugin cannot forge log lines or terminal sequences, and the length
 * is capped, so a runaway plugin cannot flood the worker log or REST {@code /status}.
 */
public final class PluginText {

  /** Longest forwarded log line, in characters, before it is cut. */
  public static final int MAX_LINE_CHARS = 8192;

  /** Longest plugin text (error description, recent output) put into an exception message. */
  public static final int MAX_ERROR_CHARS = 4096;

  private PluginText() {}

  /** {@code text} with control characters escaped and cut to {@code max} characters. */
  public static String safe(String text, int max) {
    if (text == null) {
      return "";
    }
    int end = Math.min(text.length(), max);
    StringBuilder sb = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    if (text.length() > max) {
      sb.append("... (").append(text.length() - max).append(" more characters cut)");
    }
    return sb.toString();
  }

  /** One forwarded log line, escaped and capped at {@link #MAX_LINE_CHARS}. */
  public static String line(String text) {
    return safe(text, MAX_LINE_CHARS);
  }

  /** Plugin text for an exception message, escaped and capped at {@link #MAX_ERROR_CHARS}. */
  public static String forError(String text) {
    return safe(text, MAX_ERROR_CHARS);
  }
}
