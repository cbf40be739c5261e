package io.auditstream.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures standard error, where the tests' logger (slf4j-simple) writes, for each test of a class that
 * registers it, its {@code @AfterEach} methods included: for tests that make the engine and the pool log
 * failures on purpose, so that the test can read what was logged instead of flooding the build's output.
 * A test that fails gets its capture written to standard error after all, for whoever looks into it.
 */
final class StandardErrorCapture implements BeforeEachCallback, AfterEachCallback {
  private ByteArrayOutputStream captured;
  private PrintStream original;

  @Override
  public void beforeEach(ExtensionContext context) {
    captured = new ByteArrayOutputStream();
    original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(original);
    if (context.getExecutionException().isPresent()) {
      original.print(text());
    }
  }

  /** What was written to standard error so far during this test. */
  String text() {
    return captured.toString(StandardCharsets.UTF_8);
  }
}
