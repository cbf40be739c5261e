package io.auditstream.examples.secrets;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything the JVM logs while it is open: SLF4J's simple binding and anything else that writes to
 * {@code System.err} or {@code System.out} (both kept, and still passed through when {@code echo}),
 * and every {@code java.util.logging} record at every level (the root logger is set to {@link
 * Level#ALL}), with its logger's name, its parameters formatted, and its exception's stack trace.
 * Closing restores the streams and the levels.
 */
final class LogCapture implements AutoCloseable {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final PrintStream originalErr = System.err;
  private final PrintStream originalOut = System.out;
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Level originalRootLevel = root.getLevel();
  private final Handler handler = new CapturingHandler();
  /** Strong references, so that the levels set on them are not lost with the loggers. */
  private final List<Logger> quieted = new ArrayList<>();

  /**
   * Starts capturing; the JUL loggers named in {@code quietJulLoggers} are kept at INFO (the test's own
   * receivers, not the code under test).
   */
  LogCapture(List<String> quietJulLoggers) {
    PrintStream tee = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
        }
      }
    }, true, StandardCharsets.UTF_8);
    System.setErr(tee);
    System.setOut(tee);
    for (String name : quietJulLoggers) {
      Logger l = Logger.getLogger(name);
      l.setLevel(Level.INFO);
      quieted.add(l);
    }
    root.setLevel(Level.ALL);
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  /** All captured text so far. */
  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    root.setLevel(originalRootLevel);
    quieted.forEach(l -> l.setLevel(null));
    System.setErr(originalErr);
    System.setOut(originalOut);
  }

  /** Writes each record as a line: {@code JUL <level> <logger> - <message>}, then any stack trace. */
  private final class CapturingHandler extends Handler {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      StringWriter line = new StringWriter();
      PrintWriter w = new PrintWriter(line);
      String message;
      try {
        message = formatter.formatMessage(record);
      } catch (RuntimeException e) {
        message = String.valueOf(record.getMessage());
      }
      w.println("JUL " + record.getLevel() + " " + record.getLoggerName() + " - " + message);
      if (record.getThrown() != null) {
        record.getThrown().printStackTrace(w);
      }
      w.flush();
      byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
      synchronized (captured) {
        captured.write(bytes, 0, bytes.length);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
