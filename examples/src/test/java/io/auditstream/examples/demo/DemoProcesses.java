package io.auditstream.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Demo runs in child JVMs, their output collected line by line; {@link #close()} kills what still runs. */
final class DemoProcesses implements AutoCloseable {
  /** A demo process and the lines it printed so far. */
  record Run(Process process, List<String> output) {}

  private final List<Process> processes = new CopyOnWriteArrayList<>();

  /** Starts the demo with {@code args} in a child JVM on this test's class path. */
  Run start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DemoApplication.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    List<String> output = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          output.add(line);
        }
      } catch (IOException e) {
        // The process was killed: its output ends here.
      }
    }, "demo-output");
    t.setDaemon(true);
    t.start();
    return new Run(p, output);
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
