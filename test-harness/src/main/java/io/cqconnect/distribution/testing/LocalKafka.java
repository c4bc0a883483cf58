package io.cqconnect.distribution.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker as a separate JVM ({@code kafka.tools.StorageTool random-uuid},
 * {@code format --standalone}, {@code kafka.Kafka}), plus Connect workers in distributed mode
 * ({@code org.apache.kafka.connect.cli.ConnectDistributed}), all on loopback, with the classpath of
 * {@code docker/worker/pom.xml} (Kafka only: cq-connect is loaded from {@code plugin.path}). Logs
 * go to files in the work directory; {@link #close()} stops everything it started.
 */
public final class LocalKafka implements AutoCloseable {

  /** The flag Arrow needs on Java 17+, as the image's KAFKA_OPTS carries it. */
  public static final String ARROW_OPENS =
      "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED";

  private final Path work;
  private final String classpath;
  private final int port;
  private final Process broker;
  private final List<Worker> workers = new ArrayList<>();

  private LocalKafka(Path work, String classpath, int port, Process broker) {
    this.work = work;
    this.classpath = classpath;
    this.port = port;
    this.broker = broker;
  }

  /** The repository root: system property {@code cq.repo.dir} (set by the poms). */
  public static Path repoDir() {
    String dir = System.getProperty("cq.repo.dir");
    if (dir == null || dir.isBlank()) {
      throw new AssertionError(
          "system property cq.repo.dir is not set: run the tests through Maven");
    }
    return Path.of(dir);
  }

  /**
   * The packaged plugin directory ({@code cq.plugin.dir}, else docker/target/cq-connect-VERSION).
   */
  public static Path pluginDir() {
    String dir = System.getProperty("cq.plugin.dir");
    Path p =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : repoDir()
                .resolve("docker/target/cq-connect-" + System.getProperty("cq.project.version"));
    if (!Files.isDirectory(p.resolve("lib"))) {
      throw new AssertionError(
          "packaged plugin directory "
              + p
              + " missing: run `mvn -pl docker -am package` first (the docker module packages it)");
    }
    return p;
  }

  /** The Kafka-only classpath, resolved by bin/worker-classpath (a nested Maven run, cached). */
  public static String workerClasspath() throws IOException, InterruptedException {
    Path script = repoDir().resolve("bin/worker-classpath");
    Process p =
        new ProcessBuilder(script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String file = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(script + " failed (exit " + p.exitValue() + ")");
    }
    return Files.readString(Path.of(file)).trim();
  }

  /** A free loopback port (bound and released). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Formats a fresh log directory under {@code work} and starts the broker; waits until ready. */
  public static LocalKafka start(Path work) throws Exception {
    String classpath = workerClasspath();
    int port = freePort();
    int controller = freePort();
    Path logs = work.resolve("kafka-logs");
    Path props = work.resolve("server.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners=PLAINTEXT://127.0.0.1:"
                + port
                + ",CONTROLLER://127.0.0.1:"
                + controller,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + logs,
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            ""));
    Path log4j = log4j(work, "broker");
    String uuid = run(work, classpath, log4j, "kafka.tools.StorageTool", "random-uuid").trim();
    run(
        work,
        classpath,
        log4j,
        "kafka.tools.StorageTool",
        "format",
        "--standalone",
        "-t",
        uuid,
        "-c",
        props.toString());
    Process broker =
        java(
            work,
            classpath,
            log4j,
            List.of("-Xms64m", "-Xmx512m"),
            Map.of(),
            "broker.out",
            "kafka.Kafka",
            props.toString());
    LocalKafka kafka = new LocalKafka(work, classpath, port, broker);
    try {
      kafka.awaitLog(
          work.resolve("broker.log"), "Kafka Server started", broker, Duration.ofSeconds(90));
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public Path workDir() {
    return work;
  }

  /**
   * Starts a distributed worker with the given properties file and environment, JMX on {@code
   * jmxPort} (0 for none); waits until its REST API answers.
   */
  public Worker startWorker(
      String name, Path properties, int restPort, int jmxPort, Map<String, String> env)
      throws Exception {
    return startWorker(name, properties, restPort, jmxPort, env, List.of());
  }

  /**
   * As {@link #startWorker(String, Path, int, int, Map)}, with extra JVM options before the main
   * class (for example a {@code -javaagent:}, as the image's KAFKA_OPTS carries it).
   */
  public Worker startWorker(
      String name,
      Path properties,
      int restPort,
      int jmxPort,
      Map<String, String> env,
      List<String> extraJvmOptions)
      throws Exception {
    List<String> jvm = new ArrayList<>(List.of("-Xms64m", "-Xmx768m", ARROW_OPENS));
    jvm.addAll(extraJvmOptions);
    if (jmxPort > 0) {
      jvm.addAll(
          List.of(
              "-Dcom.sun.management.jmxremote",
              "-Dcom.sun.management.jmxremote.port=" + jmxPort,
              "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
              "-Dcom.sun.management.jmxremote.host=127.0.0.1",
              "-Djava.rmi.server.hostname=127.0.0.1",
              "-Dcom.sun.management.jmxremote.authenticate=false",
              "-Dcom.sun.management.jmxremote.ssl=false"));
    }
    Path log4j = log4j(work, name);
    Process p =
        java(
            work,
            classpath,
            log4j,
            jvm,
            env,
            name + ".out",
            "org.apache.kafka.connect.cli.ConnectDistributed",
            properties.toString());
    Worker worker =
        new Worker(name, p, "http://127.0.0.1:" + restPort, jmxPort, work.resolve(name + ".log"));
    workers.add(worker);
    worker.awaitRest(Duration.ofSeconds(120));
    return worker;
  }

  /** A worker process. */
  public static final class Worker {
    private final String name;
    private final Process process;
    private final String rest;
    private final int jmxPort;
    private final Path log;

    Worker(String name, Process process, String rest, int jmxPort, Path log) {
      this.name = name;
      this.process = process;
      this.rest = rest;
      this.jmxPort = jmxPort;
      this.log = log;
    }

    public String restUrl() {
      return rest;
    }

    public int jmxPort() {
      return jmxPort;
    }

    public long pid() {
      return process.pid();
    }

    public Path log() {
      return log;
    }

    /** The last lines of the worker's log, for failure messages. */
    public String logTail(int lines) {
      return tail(log, lines);
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    public void stop() {
      stopProcess(process, Duration.ofSeconds(20));
    }

    private void awaitRest(Duration timeout) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError(
              "worker " + name + " exited with " + process.exitValue() + "; log:\n" + logTail(60));
        }
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(rest + "/connector-plugins")).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // Not listening yet.
        }
        Thread.sleep(300);
      }
      throw new AssertionError(
          "worker " + name + " REST API not up within " + timeout + "; log:\n" + logTail(60));
    }
  }

  @Override
  public void close() {
    for (Worker w : workers) {
      w.stop();
    }
    stopProcess(broker, Duration.ofSeconds(30));
  }

  private void awaitLog(Path log, String text, Process p, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "process exited with " + p.exitValue() + "; log:\n" + tail(log, 60));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "'" + text + "' not logged within " + timeout + "; log:\n" + tail(log, 60));
  }

  private static String run(Path work, String classpath, Path log4j, String main, String... args)
      throws Exception {
    Process p = java(work, classpath, log4j, List.of("-Xmx256m"), Map.of(), null, main, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(main + " " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private static Process java(
      Path work,
      String classpath,
      Path log4j,
      List<String> jvm,
      Map<String, String> env,
      String outFile,
      String main,
      String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-Dlog4j2.configurationFile=" + log4j);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().putAll(env);
    if (outFile == null) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectErrorStream(true).redirectOutput(work.resolve(outFile).toFile());
    }
    return pb.start();
  }

  /** INFO to {@code <name>.log} in the work directory, Arrow's chatter lowered. */
  private static Path log4j(Path work, String name) {
    Path file = work.resolve("log4j2-" + name + ".properties");
    try {
      Files.writeString(
          file,
          String.join(
              "\n",
              "status = warn",
              "appender.file.type = File",
              "appender.file.name = FILE",
              "appender.file.fileName = " + work.resolve(name + ".log"),
              "appender.file.layout.type = PatternLayout",
              "appender.file.layout.pattern = [%d] %p %m (%c)%n",
              "rootLogger.level = INFO",
              "rootLogger.appenderRef.file.ref = FILE",
              "logger.arrow.name = org.apache.arrow",
              "logger.arrow.level = WARN",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static void stopProcess(Process p, Duration grace) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path log, int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no log at " + log + ")";
      }
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
