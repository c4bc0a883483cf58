package io.cqconnect.benchmark;

import static java.util.stream.Collectors.toSet;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the worker process from outside: peak heap through its remote JMX (the heap pools' peak
 * usage, reset when a measured sync starts) and a JFR recording through {@code jcmd}.
 */
final class WorkerProbe implements AutoCloseable {

  private final JMXConnector jmx;
  private final List<MemoryPoolMXBean> heapPools;
  private final long pid;
  private Path jfrFile;
  private Instant jfrBegin;
  private final java.util.concurrent.atomic.AtomicLong peakAfterGc =
      new java.util.concurrent.atomic.AtomicLong();

  WorkerProbe(int jmxPort, long pid) throws Exception {
    this.pid = pid;
    this.jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
    MBeanServerConnection c = jmx.getMBeanServerConnection();
    this.heapPools =
        ManagementFactory.getPlatformMXBeans(c, MemoryPoolMXBean.class).stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    Set<String> heapNames = heapPools.stream().map(MemoryPoolMXBean::getName).collect(toSet());
    // The heap after each GC (the live set plus what survived) is what grows if the sync holds
    // rows; the pools' peak "used" also counts garbage, which follows the GC's young sizing. The
    // worker pushes one notification per GC, so the probe costs it nothing between GCs (polling
    // the last GC every 100 ms over RMI took 15 % of the worker's samples on 2 busy cores).
    NotificationListener afterGc =
        (n, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              n.getType())) {
            return;
          }
          GcInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
          long after = 0;
          for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
            after += heapNames.contains(e.getKey()) ? e.getValue().getUsed() : 0;
          }
          peakAfterGc.accumulateAndGet(after, Math::max);
        };
    for (ObjectName gc :
        c.queryNames(
            new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      c.addNotificationListener(gc, afterGc, null, null);
    }
  }

  /** Forgets the peaks so far (after a GC, so garbage of the previous run does not count). */
  void resetPeak() throws IOException {
    ManagementFactory.getPlatformMXBean(
            jmx.getMBeanServerConnection(), java.lang.management.MemoryMXBean.class)
        .gc();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    peakAfterGc.set(0);
  }

  /** The largest heap in use right after a GC since {@link #resetPeak()}, in MiB. */
  long peakAfterGcMiB() {
    return peakAfterGc.get() >> 20;
  }

  /** Sum of the heap pools' peak used bytes since {@link #resetPeak()}, in MiB. */
  long peakHeapMiB() {
    return heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
  }

  /**
   * Starts one JFR recording in the worker (profile settings: execution samples every 20 ms) that
   * runs until the worker stops. Starting and stopping a recording retransforms JDK classes and
   * deoptimizes the code that depends on them (a measured run then paid seconds of recompilation in
   * the worker), so it starts once, before the warm-up, and each recorded run is dumped from it.
   */
  void startRecording() throws IOException, InterruptedException {
    jcmd("JFR.start", "name=bench", "settings=profile");
  }

  /** Marks the start of a run to dump into {@code file} at {@link #stopJfr()}. */
  void startJfr(Path file) {
    jfrFile = file;
    jfrBegin = Instant.now();
  }

  /**
   * Dumps the recording since {@link #startJfr(Path)} into its file. The dump holds whole chunks,
   * so the run's window goes beside it ({@link JfrHotspots#window}) for the reader to filter by.
   */
  void stopJfr() throws IOException, InterruptedException {
    Instant end = Instant.now();
    jcmd("JFR.dump", "name=bench", "filename=" + jfrFile, "begin=" + jfrBegin, "end=" + end);
    java.nio.file.Files.writeString(JfrHotspots.window(jfrFile), jfrBegin + " " + end);
  }

  private void jcmd(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(String.valueOf(pid));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @Override
  public void close() throws IOException {
    jmx.close();
  }
}
