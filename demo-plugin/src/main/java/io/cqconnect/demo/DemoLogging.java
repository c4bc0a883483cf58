package io.cqconnect.demo;

import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Sets up logging the way CloudQuery plugins log: one line per event on stdout, as JSON objects
 * with {@code level}, {@code module}, {@code time} and {@code message} for {@code --log-format
 * json} (the CLI and the connector parse them), or plain text. Library logs (gRPC's Netty, Arrow)
 * go the same way.
 */
final class DemoLogging {

  /** JSON object per line; {@code %enc{...}{JSON}} escapes quotes, newlines and control chars. */
  static final String JSON_PATTERN =
      "{\"level\":\"%level{lowerCase=true}\",\"module\":\"demo\","
          + "\"time\":\"%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC}\","
          + "\"logger\":\"%enc{%c{1}}{JSON}\",\"message\":\"%enc{%m%throwable{short}}{JSON}\"}%n";

  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC} %-5level %c{1}: %m%n%throwable";

  private DemoLogging() {}

  /** Configures log4j2 before any logger is created. */
  static void configure(String format, String level) {
    ConfigurationBuilder<BuiltConfiguration> b =
        ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setStatusLevel(Level.ERROR);
    b.setConfigurationName("cq-demo-plugin");
    // Our own shutdown hook logs while stopping; log4j must not stop first.
    b.setShutdownHook("disable");
    AppenderComponentBuilder stdout =
        b.newAppender("stdout", "Console")
            .addAttribute("target", ConsoleAppender.Target.SYSTEM_OUT)
            .add(
                b.newLayout("PatternLayout")
                    .addAttribute("pattern", "json".equals(format) ? JSON_PATTERN : TEXT_PATTERN)
                    .addAttribute("alwaysWriteExceptions", false));
    b.add(stdout);
    // Arrow logs every unknown extension type at INFO; the demo tables use none, but keep it quiet.
    b.add(b.newLogger("org.apache.arrow", Level.WARN).addAttribute("additivity", true));
    b.add(b.newLogger("io.grpc", Level.WARN).addAttribute("additivity", true));
    // Netty warns that unix sockets have no SO_KEEPALIVE, which gRPC sets on every channel.
    b.add(
        b.newLogger("io.grpc.netty.shaded.io.netty.bootstrap", Level.ERROR)
            .addAttribute("additivity", true));
    b.add(b.newRootLogger(toLevel(level)).add(b.newAppenderRef("stdout")));
    Configurator.initialize(b.build());
  }

  static Level toLevel(String level) {
    return Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO);
  }
}
