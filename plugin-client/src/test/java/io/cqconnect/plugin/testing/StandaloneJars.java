package io.cqconnect.plugin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Checks on the runnable jars of processes that are not Connect workers. */
public final class StandaloneJars {

  private StandaloneJars() {}

  /**
   * Asserts that {@code jar} (named by the system property {@code property}) carries no Kafka
   * classes: a process of its own needs neither them nor the native codecs that come with them.
   */
  public static void assertNoKafkaClasses(String property) throws IOException {
    Path jar = Path.of(System.getProperty(property, "missing"));
    assertThat(jar).as("%s (built by mvn package)", property).isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.stream().map(JarEntry::getName))
          .as("entries of %s", jar)
          .isNotEmpty()
          .noneMatch(name -> name.startsWith("org/apache/kafka/"));
    }
  }
}
