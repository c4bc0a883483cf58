package io.cqconnect.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
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
  private final List<com.sun.management.GarbageCollectorMXBean> collectors;
  private final java.util.concurrent.ScheduledExecutorService sampler =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
  private final java.util.concurrent.atomic.AtomicLong peakAfterGc =
      new java.util.concurrent.atomic.AtomicLong();

  WorkerProbe(int jmxPort, long pid) throws IOException {
    this.pid = pid;
    this.jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
    MBeanServerConnection c = jmx.getMBeanServerConnection();
    this.heapPools =
        ManagementFactory.getPlatformMXBeans(c, MemoryPoolMXBean.class).stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    this.collectors =
        ManagementFactory.getPlatformMXBeans(c, com.sun.management.GarbageCollectorMXBean.class);
    // The heap after each GC (the live set plus what survived) is what grows if the sync holds
    // rows; the pools' peak "used" also counts garbage, which follows the GC's young sizing.
    sampler.scheduleAtFixedRate(this::sampleAfterGc, 0, 100, TimeUnit.MILLISECONDS);
  }

  private void sampleAfterGc() {
    try {
      for (com.sun.management.GarbageCollectorMXBean gc : collectors) {
        com.sun.management.GcInfo info = gc.getLastGcInfo();
        if (info == null) {
          continue;
        }
        long after = 0;
        for (MemoryPoolMXBean p : heapPools) {
          java.lang.management.MemoryUsage u = info.getMemoryUsageAfterGc().get(p.getName());
          after += u == null ? 0 : u.getUsed();
        }
        peakAfterGc.accumulateAndGet(after, Math::max);
      }
    } catch (RuntimeException e) {
      // The worker is going away: keep the peak seen so far.
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

  /** Starts a JFR recording in the worker (default profile: execution samples every 20 ms). */
  void startJfr(Path file) throws IOException, InterruptedException {
    jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file);
  }

  void stopJfr() throws IOException, InterruptedException {
    jcmd("JFR.stop", "name=bench");
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
    sampler.shutdownNow();
    jmx.close();
  }
}
