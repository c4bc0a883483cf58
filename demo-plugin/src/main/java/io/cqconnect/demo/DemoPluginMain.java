package io.cqconnect.demo;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code cq-demo-plugin serve --network tcp|unix --address ADDR --log-format json
 * --log-level info}, the command line the CloudQuery CLI and the connector use. Serves until
 * SIGTERM or SIGINT.
 */
public final class DemoPluginMain {

  private DemoPluginMain() {}

  /** Parses the arguments, starts the server and waits for a stop signal. */
  public static void main(String[] args) throws Exception {
    ServeArgs serve;
    try {
      serve = ServeArgs.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("cq-demo-plugin: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Before the first logger is created, so that every line has the requested format.
    DemoLogging.configure(serve.logFormat(), serve.logLevel());
    Logger log = LoggerFactory.getLogger(DemoPluginMain.class);
    DemoServer server;
    try {
      server = DemoServer.start(serve.unix(), serve.address());
    } catch (Exception e) {
      log.error("{}", e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping plugin server");
                  server.close();
                  stopped.countDown();
                },
                "demo-shutdown"));
    server.awaitTermination();
    stopped.await();
  }
}
