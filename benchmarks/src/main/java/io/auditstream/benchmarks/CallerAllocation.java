package io.auditstream.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts the bytes the benchmark thread itself allocates around measured invocations: JMH's {@code -prof
 * gc} reports the allocation of every thread (the engine's router and delivery threads included), while
 * the host cares about what {@code stream()} allocates on its own thread. Reported at the end of a trial
 * to the file named by the system property {@code bench.aux} (appended, one line per benchmark), or to
 * standard output. Confined to the benchmark thread.
 */
final class CallerAllocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final String name;
  private long before;
  private long bytes;
  private long operations;
  private long refused;

  CallerAllocation(String name) {
    this.name = name;
  }

  /** Call last in the invocation's setup. */
  void start() {
    before = THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Call first in the invocation's teardown, with the operations the invocation made. */
  void stop(int ops) {
    bytes += THREADS.getCurrentThreadAllocatedBytes() - before;
    operations += ops;
  }

  /** Counts an event that {@code stream()} refused, which would make the figure that of the refusal path. */
  void refused() {
    refused++;
  }

  /** Writes {@code <benchmark> caller_alloc_bytes_per_op=<x> refused=<n>}. */
  void report() {
    if (operations == 0) {
      return;
    }
    String line = String.format(java.util.Locale.ROOT, "%s caller_alloc_bytes_per_op=%.1f refused=%d%n",
        name, (double) bytes / operations, refused);
    String file = System.getProperty("bench.aux");
    if (file == null) {
      System.out.print(line);
      return;
    }
    try {
      Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.print(line);
    }
  }
}
