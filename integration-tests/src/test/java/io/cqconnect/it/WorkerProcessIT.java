package io.cqconnect.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * cq-connect in a real Connect worker process, as the image runs it, seen the three ways an
 * operator sees it: the packaged plugin directory loaded through {@code plugin.path} ({@link
 * Packaging}), the metrics over a remote JMX connection ({@link Metrics}) and the metrics as
 * Prometheus scrapes them from the JMX exporter agent ({@link Prometheus}). The broker is a real
 * KRaft broker process.
 *
 * <p>One broker and one worker ({@link ImageWorker}: the image's worker configuration, the packaged
 * plugin directory, the agent and a remote JMX port) serve all three groups. They were three
 * classes, each starting and stopping a broker and a worker of its own, which took about half of
 * each class's time (28 of MetricsIT's 57 s, 24 of PrometheusIT's 47 s); failsafe shares nothing
 * between test classes (each class is a JUnit run of its own), so the groups are nested classes of
 * one class. Each group names its connectors, topics and files after itself, asserts values of its
 * own connectors only (where it reads every MBean of the domain, it asserts something that must
 * hold for every connector), and leaves its connectors running. The groups run in the order below:
 * the Prometheus group's connectors sync every few seconds until the worker stops, so they start
 * last.
 *
 * <p>The groups' tests are in {@link PackagingChecks}, {@link MetricsChecks} and {@link
 * PrometheusChecks}, one file each; the nested classes here only run them on the shared worker. One
 * group alone: {@code -Dit.test='WorkerProcessIT$Metrics'}.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class WorkerProcessIT {

  @TempDir static Path work;

  private static ImageWorker worker;

  @BeforeAll
  static void start() throws Exception {
    worker = ImageWorker.start(work, "worker-process-it");
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  @Nested
  @Order(1)
  class Packaging extends PackagingChecks {
    Packaging() {
      super(worker);
    }
  }

  @Nested
  @Order(2)
  class Metrics extends MetricsChecks {
    Metrics() {
      super(worker);
    }
  }

  @Nested
  @Order(3)
  class Prometheus extends PrometheusChecks {
    Prometheus() {
      super(worker);
    }
  }
}
