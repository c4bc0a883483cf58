package io.cqconnect.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Private directories for unix sockets: fresh, mode 0700 (only the worker's user may enter, so only
 * its processes can connect), with a path short enough for the socket file in it.
 */
public final class SocketDirs {

  /** Unix socket paths are limited to 108 bytes on Linux (104 elsewhere); stay well below. */
  static final int MAX_SOCKET_PATH = 100;

  private SocketDirs() {}

  /**
   * Creates a directory for the socket {@code socketName} under {@code java.io.tmpdir} (or {@code
   * /tmp} when that is too long).
   *
   * @throws IOException if it cannot be created or the socket path would be too long
   */
  public static Path create(String prefix, String socketName) throws IOException {
    Path base = Paths.get(System.getProperty("java.io.tmpdir"));
    if (base.toAbsolutePath().toString().length() > MAX_SOCKET_PATH - 30) {
      base = Paths.get("/tmp");
    }
    Path dir =
        Files.createTempDirectory(
            base,
            prefix,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    if (dir.resolve(socketName).toString().length() > MAX_SOCKET_PATH) {
      deleteQuietly(dir);
      throw new IOException(
          "temporary directory "
              + dir
              + " is too long for a unix socket path; set java.io.tmpdir to a shorter directory"
              + " or use network tcp");
    }
    return dir;
  }

  /** Removes {@code dir} and everything in it; best effort, never throws; null is ignored. */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Best effort: a leftover temp file is harmless.
                }
              });
    } catch (IOException | RuntimeException e) {
      // Best effort.
    }
  }
}
