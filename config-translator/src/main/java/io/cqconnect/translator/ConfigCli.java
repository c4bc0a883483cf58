package io.cqconnect.translator;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cq-connect-config}: translates CloudQuery spec files into Kafka Connect REST requests
 * ({@code translate}) or sends them to a Connect worker ({@code apply}).
 */
public final class ConfigCli {

  static final String USAGE =
      """
      usage: cq-connect-config translate SPEC... [options]
             cq-connect-config apply SPEC... --connect-url URL [options]

      SPEC is a CloudQuery spec file (multi-document YAML) or a directory of .yml/.yaml files.
        translate  print one Connect REST request per connector as a JSON array
        apply      PUT each connector's config to URL/connectors/<name>/config

      options:
        --plugins-root DIR   directory holding .cq/plugins of 'cloudquery plugin install'
                             (registry: cloudquery); default: the current directory
        --base-dir DIR       resolve relative plugin paths and ${file:...} against DIR;
                             default: the current directory
        --topic-prefix P     topic.prefix of every source; {source} is replaced by the source
                             name, e.g. '{source}.'; default: none
        --connect-url URL    the Connect worker's REST URL, e.g. http://localhost:8083 (apply)
        -h, --help           show this help

      Notes go to stderr as 'note: ...', errors as 'error: ...'. Exit status: 0 on success,
      1 when a spec has errors or a request failed, 2 on a usage error.
      """;

  private ConfigCli() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line, writing to {@code out} and {@code err}; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    if (!command.equals("translate") && !command.equals("apply")) {
      err.println("error: unknown command '" + command + "'");
      err.print(USAGE);
      return 2;
    }
    TranslatorOptions options = TranslatorOptions.defaults();
    String connectUrl = null;
    List<Path> specs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        out.print(USAGE);
        return 0;
      }
      if (!arg.startsWith("--")) {
        specs.add(Path.of(arg));
        continue;
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        err.println("error: " + arg + " needs a value");
        return 2;
      }
      switch (name) {
        case "--plugins-root" -> options = options.withPluginsRoot(Path.of(value));
        case "--base-dir" -> options = options.withBaseDir(Path.of(value));
        case "--topic-prefix" -> options = options.withTopicPrefix(value);
        case "--connect-url" -> connectUrl = value;
        default -> {
          err.println("error: unknown option '" + name + "'");
          err.print(USAGE);
          return 2;
        }
      }
    }
    if (specs.isEmpty()) {
      err.println("error: no spec file given");
      err.print(USAGE);
      return 2;
    }
    if (command.equals("apply") && (connectUrl == null || connectUrl.isBlank())) {
      err.println("error: apply needs --connect-url, e.g. --connect-url http://localhost:8083");
      return 2;
    }
    Translation translation = new SpecTranslator(options).translate(specs);
    translation.notes().forEach(note -> err.println("note: " + note));
    if (!translation.ok()) {
      translation.errors().forEach(error -> err.println("error: " + error));
      return 1;
    }
    if (command.equals("translate")) {
      out.println(translation.requestsJson());
      return 0;
    }
    return apply(translation, connectUrl, out, err);
  }

  private static int apply(
      Translation translation, String connectUrl, PrintStream out, PrintStream err) {
    URI url;
    try {
      url = URI.create(connectUrl);
    } catch (IllegalArgumentException e) {
      err.println("error: --connect-url '" + connectUrl + "' is not a URL: " + e.getMessage());
      return 2;
    }
    ConnectRestClient client = new ConnectRestClient(url, Duration.ofSeconds(30));
    int status = 0;
    for (ConnectorRequest request : translation.requests()) {
      ConnectRestClient.Result result = client.put(request);
      String line = request.name() + ": " + result.message() + " (HTTP " + result.status() + ")";
      if (result.ok()) {
        out.println(line);
      } else {
        err.println("error: " + line);
        status = 1;
      }
    }
    return status;
  }
}
