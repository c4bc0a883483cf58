package io.cqconnect.tools;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the source connector's metrics from a worker over a remote JMX connection (the way JConsole
 * or a Prometheus JMX exporter would), from the MBeans under {@code kafka.connect.cloudquery}.
 */
final class JmxProbe {

  static final String DOMAIN = "kafka.connect.cloudquery";

  private final String hostPort;

  /** Task-level and per-table values of one connector. */
  record Snapshot(double syncsCompleted, Map<String, Double> rowsByTable) {}

  JmxProbe(String hostPort) {
    this.hostPort = hostPort;
  }

  String hostPort() {
    return hostPort;
  }

  static JMXServiceURL url(String hostPort) throws IOException {
    return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + hostPort + "/jmxrmi");
  }

  /** syncs-completed-total (summed over tasks) and rows-total per table of {@code connector}. */
  Snapshot read(String connector) throws IOException, JMException {
    try (JMXConnector jmx = JMXConnectorFactory.connect(url(hostPort))) {
      MBeanServerConnection server = jmx.getMBeanServerConnection();
      double syncs = 0;
      for (ObjectName name : query(server, "source-task-metrics", connector)) {
        syncs += ((Number) server.getAttribute(name, "syncs-completed-total")).doubleValue();
      }
      Map<String, Double> rows = new TreeMap<>();
      for (ObjectName name : query(server, "source-table-metrics", connector)) {
        double value = ((Number) server.getAttribute(name, "rows-total")).doubleValue();
        rows.merge(name.getKeyProperty("table"), value, Double::sum);
      }
      return new Snapshot(syncs, rows);
    }
  }

  /** A tag value as Kafka's JmxReporter writes it: quoted only when it has special characters. */
  static String jmxValue(String value) {
    return value.matches("[\\w\\-%\\. \\t]*") ? value : ObjectName.quote(value);
  }

  private static Set<ObjectName> query(MBeanServerConnection server, String type, String connector)
      throws IOException, JMException {
    return server.queryNames(
        new ObjectName(DOMAIN + ":type=" + type + ",connector=" + jmxValue(connector) + ",*"),
        null);
  }
}
