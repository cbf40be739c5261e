package io.auditstream.benchmarks.e2e;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak memory of this JVM: heap in use, sampled every 10 ms by a daemon thread (so a peak between two
 * samples can be missed, and the figure depends on when the collector ran); heap in use right after a
 * collection, the highest seen (what the JVM still held once garbage was gone: the part of the heap
 * that bounds and backlogs decide, where the sampled figure also counts garbage not collected yet); and
 * the process's peak resident set ({@code VmHWM} of {@code /proc/self/status}, Linux only). Thread-safe.
 */
final class ProcessMemory {
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong peakHeapAfterGc = new AtomicLong(-1);
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
    m.listenToCollections();
    return m;
  }

  /** The highest heap use sampled, in MiB. */
  double peakHeapMiB() {
    return peakHeap.get() / 1048576.0;
  }

  /** The highest heap use right after a collection, in MiB; -1 when no collection ran or the JVM does not tell. */
  double peakHeapAfterGcMiB() {
    long v = peakHeapAfterGc.get();
    return v < 0 ? -1 : v / 1048576.0;
  }

  private void listenToCollections() {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            // The collection reports every pool, the non-heap ones too (metaspace, code cache).
            for (Map.Entry<String, MemoryUsage> u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
              if (heapPools.contains(u.getKey())) {
                used += u.getValue().getUsed();
              }
            }
            peakHeapAfterGc.accumulateAndGet(used, Math::max);
          }
        }, null, null);
      }
    }
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
