package io.cqconnect.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a plugin process die with the JVM that launched it, however the JVM dies (SIGKILL, the OOM
 * killer): the plugin is started through {@code /bin/sh}, which forks a tiny watcher reading the
 * plugin's stdin pipe from the JVM and then {@code exec}s the plugin, so the plugin keeps the
 * process id the JVM knows. Only the JVM holds the pipe's write end; when the JVM is gone the
 * kernel closes it, the watcher reads end of file, sends the plugin SIGTERM, SIGKILL after the stop
 * grace, and removes the plugin's socket and working directories.
 *
 * <p>Why a watcher and not a reaper at the next task start: a reaper runs only if a worker comes
 * back on the same host, and until then the orphan keeps syncing (and may write cursors nobody
 * commits). The watcher is a shell builtin loop (no polling, ~1 MiB of memory) and needs nothing
 * but a POSIX shell, which every Linux and macOS worker has; where {@code /bin/sh} is missing the
 * plugin is launched directly and only the JVM's shutdown hook reaps it.
 *
 * <p>The JVM closes the pipe itself when the plugin exits or is stopped, so the watcher never
 * outlives its plugin by more than the grace period.
 */
final class PluginSupervisor {

  static final Path SHELL = Path.of("/bin/sh");

  /** The watcher's {@code $0}: its command line names it, the plugin's (after exec) does not. */
  private static final String NAME = "cq-plugin-supervisor";

  /**
   * $1 grace seconds, $2 socket dir or "", $3 work dir to remove or "", then the plugin command.
   * The watcher's own output goes to /dev/null so the plugin's log pipes close when it exits.
   */
  private static final String SCRIPT =
      """
      pid=$$; grace=$1; sock=$2; work=$3; shift 3
      exec 3<&0
      (
        while read -r _; do :; done
        kill -TERM "$pid" 2>/dev/null
        i=0
        while [ "$i" -lt "$grace" ] && kill -0 "$pid" 2>/dev/null; do sleep 1; i=$((i+1)); done
        kill -KILL "$pid" 2>/dev/null
        [ -z "$sock" ] || rm -rf "$sock"
        [ -z "$work" ] || rm -rf "$work"
      ) <&3 >/dev/null 2>&1 &
      exec "$@" </dev/null 3<&-
      """;

  private PluginSupervisor() {}

  /** Whether {@code process} is a watcher (a live one: a zombie has no command line left). */
  static boolean isWatcher(ProcessHandle process) {
    return process.info().arguments().map(args -> List.of(args).contains(NAME)).orElse(false);
  }

  /** True where the watcher can run. */
  static boolean available() {
    return Files.isExecutable(SHELL);
  }

  /**
   * {@code command} wrapped in the watcher.
   *
   * @param grace how long the plugin gets between SIGTERM and SIGKILL once the JVM is gone
   * @param socketDir the plugin's private socket directory, or null
   * @param ownedWorkDir a temporary working directory created for the plugin, or null
   */
  static List<String> wrap(
      List<String> command, Duration grace, Path socketDir, Path ownedWorkDir) {
    List<String> wrapped = new ArrayList<>();
    wrapped.add(SHELL.toString());
    wrapped.add("-c");
    wrapped.add(SCRIPT);
    wrapped.add(NAME);
    wrapped.add(Long.toString(Math.max(1, (grace.toMillis() + 999) / 1000)));
    wrapped.add(socketDir == null ? "" : socketDir.toString());
    wrapped.add(ownedWorkDir == null ? "" : ownedWorkDir.toString());
    wrapped.addAll(command);
    return wrapped;
  }
}
