package io.cqconnect.plugin;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validate-time checks that need the plugin itself: it starts (or answers at its address), its
 * {@code TestConnection} accepts the spec, and (for a source) its tables match the table patterns,
 * as the CloudQuery CLI checks before a sync. Each problem says what failed, so the caller can
 * attach it to the key that caused it.
 */
public final class PluginProbe {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  /** What a probe problem is about. */
  public enum Subject {
    /** The binary did not start or the address did not answer. */
    REACH,
    /** The plugin rejected the spec, or testing it failed. */
    SPEC,
    /** A pattern of {@code tables} matches no table, or the patterns select none. */
    TABLES,
    /** A pattern of {@code skip_tables} matches no table. */
    SKIP_TABLES
  }

  /** A source's table selection, as {@code GetTables} takes it. */
  public record TableFilter(List<String> tables, List<String> skipTables, boolean skipDependent) {}

  /** How many of the plugin's table names an unknown-pattern problem lists. */
  static final int NAMES_SHOWN = 30;

  private static final Pattern NO_MATCHES =
      Pattern.compile("(skip_tables|tables) include a pattern (.+?) with no matches");

  /** One thing the probe found wrong. */
  public record Problem(Subject subject, String message) {}

  private PluginProbe() {}

  /** Starts or dials the plugin with deadlines of at most 15 s and tests its spec. */
  public static Optional<Problem> check(PluginSettings settings) {
    return check(settings, null);
  }

  /**
   * Like {@link #check(PluginSettings)}, then, when {@code filter} is not null, initialises the
   * plugin without connecting to its backend and asks for the tables the filter selects.
   */
  public static Optional<Problem> check(PluginSettings settings, TableFilter filter) {
    Duration timeout =
        settings.startTimeout().compareTo(PROBE_TIMEOUT) < 0
            ? settings.startTimeout()
            : PROBE_TIMEOUT;
    PluginConnection plugin;
    try {
      plugin = PluginConnections.connect(settings.withTimeouts(timeout, timeout), "validate");
    } catch (RuntimeException e) {
      return Optional.of(new Problem(Subject.REACH, "cannot reach the plugin: " + e.getMessage()));
    }
    try (plugin) {
      Optional<Problem> spec = testSpec(plugin.client(), settings);
      return spec.isPresent() || filter == null
          ? spec
          : checkTables(plugin.client(), settings, filter);
    }
  }

  private static Optional<Problem> testSpec(PluginClient client, PluginSettings settings) {
    try {
      TestConnection.Response answer =
          client.testConnection(settings.spec().getBytes(StandardCharsets.UTF_8));
      if (!answer.getSuccess()) {
        return Optional.of(
            new Problem(
                Subject.SPEC,
                "the plugin rejects this spec ("
                    + answer.getFailureCode()
                    + "): "
                    + answer.getFailureDescription()));
      }
    } catch (RuntimeException e) {
      Status status = GrpcErrors.statusOf(e);
      if (status == null || status.getCode() != Status.Code.UNIMPLEMENTED) {
        return Optional.of(new Problem(Subject.SPEC, "testing the spec failed: " + e.getMessage()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Problem> checkTables(
      PluginClient client, PluginSettings settings, TableFilter filter) {
    try {
      client.init(settings.spec().getBytes(StandardCharsets.UTF_8), true);
    } catch (RuntimeException e) {
      return Optional.of(
          new Problem(Subject.SPEC, "the plugin rejects this spec: " + e.getMessage()));
    }
    List<ByteString> selected;
    try {
      selected = client.getTables(filter.tables(), filter.skipTables(), filter.skipDependent());
    } catch (RuntimeException e) {
      Matcher m = NO_MATCHES.matcher(String.valueOf(e.getMessage()));
      if (!m.find()) {
        return Optional.of(
            new Problem(
                Subject.TABLES, "asking the plugin for its tables failed: " + e.getMessage()));
      }
      boolean skip = m.group(1).equals("skip_tables");
      return Optional.of(
          new Problem(
              skip ? Subject.SKIP_TABLES : Subject.TABLES,
              "the plugin has no table matching '"
                  + m.group(2)
                  + "'; its tables are "
                  + tableNames(client)
                  + (skip ? "; remove the pattern or correct it" : "; correct the pattern")));
    }
    if (selected.isEmpty()) {
      return Optional.of(
          new Problem(
              Subject.TABLES,
              "the patterns select no table of the plugin (tables="
                  + filter.tables()
                  + ", skip.tables="
                  + filter.skipTables()
                  + "); its tables are "
                  + tableNames(client)));
    }
    return Optional.empty();
  }

  /** The plugin's table names (at most {@link #NAMES_SHOWN}), for an error message. */
  private static String tableNames(PluginClient client) {
    try {
      List<String> names = new ArrayList<>();
      for (ByteString schema : client.getTables(List.of("*"), List.of(), false)) {
        names.add(CqTable.fromSchema(ArrowIpc.schemaFromBytes(schema)).name());
      }
      Collections.sort(names);
      return names.size() <= NAMES_SHOWN
          ? String.join(", ", names)
          : String.join(", ", names.subList(0, NAMES_SHOWN))
              + " and "
              + (names.size() - NAMES_SHOWN)
              + " more";
    } catch (RuntimeException e) {
      return "unknown (listing them failed: " + e.getMessage() + ")";
    }
  }
}
