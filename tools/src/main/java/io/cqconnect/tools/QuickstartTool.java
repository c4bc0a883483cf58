package io.cqconnect.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java half of {@code bin/quickstart}, so that the quickstart needs nothing but Java and Maven
 * (no curl, no Kafka command-line tools):
 *
 * <pre>
 * wait-rest URL SECONDS [CLASS...]     wait until the worker's REST API lists the connector classes
 * put-connector URL NAME CONFIG.json   create or update a connector (PUT /connectors/NAME/config)
 * status URL NAME                      print the connector's and its tasks' states
 * watch --rest URL --connector NAME --bootstrap HOST:PORT --topics T1,T2 --id-topic T1
 *       --state-topic TOPIC --state-key KEY --state-jdbc-url URL --state-table TABLE [--jmx HOST:PORT]
 *       [--syncs N] [--sync-timeout-s S]
 * </pre>
 *
 * Exit status 0 on success, 1 when something did not happen in time, 2 on bad arguments.
 */
public final class QuickstartTool {

  private static final ObjectMapper JSON = new ObjectMapper();

  private QuickstartTool() {}

  /** Runs one command; see the class comment. */
  public static void main(String[] args) throws Exception {
    System.exit(run(Arrays.asList(args)));
  }

  static int run(List<String> args) throws Exception {
    if (args.isEmpty()) {
      return usage("no command given");
    }
    List<String> rest = args.subList(1, args.size());
    switch (args.get(0)) {
      case "wait-rest":
        return rest.size() < 2 ? usage("wait-rest URL SECONDS [CLASS...]") : waitRest(rest);
      case "put-connector":
        return rest.size() != 3 ? usage("put-connector URL NAME CONFIG.json") : putConnector(rest);
      case "status":
        return rest.size() != 2 ? usage("status URL NAME") : status(rest);
      case "watch":
        try {
          return watch(flags(rest));
        } catch (IllegalArgumentException e) {
          return usage(e.getMessage());
        }
      default:
        return usage("unknown command '" + args.get(0) + "'");
    }
  }

  private static int waitRest(List<String> a) throws Exception {
    ConnectRest rest = new ConnectRest(a.get(0));
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(a.get(1))).toNanos();
    List<String> classes = a.subList(2, a.size());
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        ConnectRest.Reply reply = rest.get("/connector-plugins");
        if (reply.ok()) {
          String listed = reply.body().toString();
          List<String> missing = classes.stream().filter(c -> !listed.contains(c)).toList();
          if (missing.isEmpty()) {
            System.out.println("[quickstart] Connect REST API ready at " + rest.base());
            return 0;
          }
          last = "plugins listed, but not " + missing;
        } else {
          last = "HTTP " + reply.status();
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    System.err.println("[quickstart] Connect REST API at " + rest.base() + " not ready: " + last);
    return 1;
  }

  private static int putConnector(List<String> a) throws Exception {
    ConnectRest rest = new ConnectRest(a.get(0));
    JsonNode config = JSON.readTree(Files.readString(Path.of(a.get(2))));
    ConnectRest.Reply reply = rest.put("/connectors/" + a.get(1) + "/config", config);
    if (!reply.ok()) {
      System.err.printf(
          "[quickstart] creating connector %s failed: HTTP %d %s%n",
          a.get(1), reply.status(), reply.body().path("message").asText(reply.body().toString()));
      return 1;
    }
    System.out.printf("[quickstart] connector %s created (HTTP %d)%n", a.get(1), reply.status());
    return 0;
  }

  private static int status(List<String> a) throws Exception {
    ConnectRest.Reply reply = new ConnectRest(a.get(0)).get("/connectors/" + a.get(1) + "/status");
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reply.body()));
    return reply.ok() ? 0 : 1;
  }

  private static int watch(Map<String, String> f) throws Exception {
    for (String required :
        List.of(
            "rest",
            "connector",
            "bootstrap",
            "topics",
            "id-topic",
            "state-topic",
            "state-key",
            "state-jdbc-url",
            "state-table")) {
      if (!f.containsKey(required)) {
        return usage("watch needs --" + required);
      }
    }
    SyncWatcher.Options options =
        new SyncWatcher.Options(
            new ConnectRest(f.get("rest")),
            f.get("connector"),
            f.get("bootstrap"),
            List.of(f.get("topics").split(",")),
            f.get("id-topic"),
            f.get("state-topic"),
            f.get("state-key"),
            f.get("state-jdbc-url"),
            f.get("state-table"),
            f.containsKey("jmx") ? new JmxProbe(f.get("jmx")) : null,
            Integer.parseInt(f.getOrDefault("syncs", "0")),
            Duration.ofSeconds(Long.parseLong(f.getOrDefault("sync-timeout-s", "180"))));
    return new SyncWatcher(options, System.out).run() ? 0 : 1;
  }

  /** {@code --name value} pairs. */
  static Map<String, String> flags(List<String> args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("expected --flag value, got '" + a + "'");
      }
      flags.put(a.substring(2), args.get(++i));
    }
    return flags;
  }

  private static int usage(String problem) {
    System.err.println("quickstart-tool: " + problem + " (see QuickstartTool's class comment)");
    return 2;
  }
}
