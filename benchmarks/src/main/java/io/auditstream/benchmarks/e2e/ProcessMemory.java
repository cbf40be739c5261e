package io.auditstream.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory of this JVM: heap in use, sampled every 10 ms by a daemon thread (so a peak between two
 * samples can be missed, and the figure depends on when the collector ran), and the process's peak
 * resident set ({@code VmHWM} of {@code /proc/self/status}, Linux only). Thread-safe.
 */
final class ProcessMemory {
  private final AtomicLong peakHeap = new AtomicLong();
  private final Thread sampler;

  private ProcessMemory() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "peak-heap-sampler");
    sampler.setDaemon(true);
  }

  /** Starts sampling. */
  static ProcessMemory start() {
    ProcessMemory m = new ProcessMemory();
    m.sampler.start();
    return m;
  }

  /** The highest heap use sampled, in MiB. */
  double peakHeapMiB() {
    return peakHeap.get() / 1048576.0;
  }

  /** The peak resident set in MiB, or -1 where {@code /proc} does not tell. */
  static double peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
