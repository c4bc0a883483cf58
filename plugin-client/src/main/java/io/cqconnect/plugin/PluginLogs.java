package io.cqconnect.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Forwards a plugin's stdout (JSON log lines, as the Go SDK's zerolog and the JS SDK's winston
 * write them with {@code --log-format json}) and stderr into SLF4J under the logger {@code
 * io.cqconnect.plugin.<name>}, and keeps the last lines for error messages. Every line is escaped
 * and capped by {@link PluginText} before it is logged or kept.
 */
final class PluginLogs {

  /** How many recent lines are kept for error messages. */
  static final int RECENT_LINES = 50;

  /** Fields that are rendered specially, or are noise, in a forwarded line. */
  private static final Set<String> SKIPPED_FIELDS = Set.of("level", "message", "time", "timestamp");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Logger logger;
  private final Deque<String> recent = new ArrayDeque<>(RECENT_LINES);
  private final List<Thread> pumps = new ArrayList<>();

  PluginLogs(String pluginName) {
    this.logger = LoggerFactory.getLogger("io.cqconnect.plugin." + pluginName);
  }

  /** The logger lines go to. */
  Logger logger() {
    return logger;
  }

  /** Starts daemon threads reading the process's stdout and stderr until they close. */
  void follow(Process process, String threadPrefix) {
    pumps.add(start(threadPrefix + "-stdout", process.getInputStream(), false));
    pumps.add(start(threadPrefix + "-stderr", process.getErrorStream(), true));
  }

  /** Waits up to {@code millis} for the reader threads to see end of file. */
  void awaitDrained(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    for (Thread t : pumps) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The last lines the plugin printed (oldest first); stderr lines start with {@code [stderr]}. */
  List<String> recent() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  /**
   * The last {@code n} lines joined for an error message (at most {@link
   * PluginText#MAX_ERROR_CHARS} of them, newest kept), or "(no output)".
   */
  String tail(int n) {
    List<String> lines = recent();
    if (lines.isEmpty()) {
      return "(no output)";
    }
    Deque<String> kept = new ArrayDeque<>();
    int chars = 0;
    for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - n); i--) {
      String l = lines.get(i);
      if (!kept.isEmpty() && chars + l.length() > PluginText.MAX_ERROR_CHARS) {
        break;
      }
      kept.addFirst(PluginText.forError(l));
      chars += l.length();
    }
    return String.join("\n  ", kept);
  }

  /** Handles one line as read from stdout ({@code stderr=false}) or stderr. */
  void line(String raw, boolean stderr) {
    if (raw.isBlank()) {
      return;
    }
    JsonNode node = stderr ? null : parse(raw);
    String kept = PluginText.line(raw);
    String text = node == null ? kept : PluginText.line(render(node));
    remember(stderr ? "[stderr] " + kept : kept);
    if (stderr) {
      logger.warn("{}", text);
      return;
    }
    if (node == null) {
      logger.info("{}", text);
      return;
    }
    switch (level(node.path("level").asText("info"))) {
      case TRACE -> logger.trace("{}", text);
      case DEBUG -> logger.debug("{}", text);
      case WARN -> logger.warn("{}", text);
      case ERROR -> logger.error("{}", text);
      default -> logger.info("{}", text);
    }
  }

  /** Maps zerolog (Go) and winston (JS) level names to SLF4J levels; unknown ones are INFO. */
  static Level level(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "trace", "silly" -> Level.TRACE;
      case "debug", "verbose", "http" -> Level.DEBUG;
      case "warn", "warning" -> Level.WARN;
      case "error", "fatal", "panic" -> Level.ERROR;
      default -> Level.INFO;
    };
  }

  private Thread start(String name, InputStream in, boolean stderr) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  line(l, stderr);
                }
              } catch (IOException e) {
                // The stream closes when the process is killed; nothing more to read.
                logger.debug("plugin output stream ended: {}", e.toString());
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void remember(String line) {
    synchronized (recent) {
      if (recent.size() == RECENT_LINES) {
        recent.removeFirst();
      }
      recent.addLast(line);
    }
  }

  /** The line as a JSON object, or null if it is not one. */
  static JsonNode parse(String raw) {
    String s = raw.trim();
    if (!s.startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(s);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code message key=value ...}, with the context fields the plugin attached. */
  static String render(JsonNode node) {
    StringBuilder sb = new StringBuilder(node.path("message").asText(""));
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (SKIPPED_FIELDS.contains(f.getKey())) {
        continue;
      }
      JsonNode v = f.getValue();
      sb.append(sb.length() == 0 ? "" : " ")
          .append(f.getKey())
          .append('=')
          .append(v.isTextual() ? v.asText() : v.toString());
    }
    return sb.toString();
  }
}
