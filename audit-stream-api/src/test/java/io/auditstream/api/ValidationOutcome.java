package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import java.util.function.Supplier;
import net.jqwik.api.statistics.Statistics;
import org.assertj.core.api.Assertions;

/**
 * The property every validated input must have: building with it either succeeds (and then the
 * accepted value passes {@code ifAccepted}) or throws a {@link ValidationException} that names the
 * field. No other exception may escape, and no message may carry a control character that could
 * break a log line. Each run must see both outcomes at least once in a hundred tries, so that a generator
 * that never reaches an accepted (or a refused) value fails the test instead of passing it vacuously.
 */
public final class ValidationOutcome {
  private ValidationOutcome() {}

  /**
   * Runs {@code build}; on success hands the result to {@code ifAccepted}, on a {@link
   * ValidationException} checks that a violation names {@code field} (or a field starting with it and
   * a dot or bracket); any other throwable fails.
   */
  public static <T> void acceptedOrRefused(String field, Supplier<T> build, Consumer<T> ifAccepted) {
    acceptedOrRefused(f -> f.equals(field) || f.startsWith(field + ".") || f.startsWith(field + "["), field, build,
        ifAccepted);
  }

  /** As {@link #acceptedOrRefused(String, Supplier, Consumer)}, for a violation whose field {@code fields} matches. */
  public static <T> void acceptedOrRefused(java.util.function.Predicate<String> fields, String field,
      Supplier<T> build, Consumer<T> ifAccepted) {
    // Both outcomes must occur in a run, so that the generator reaches accepted values as well as refused ones.
    Statistics.label(field).coverage(c -> {
      c.check("accepted").percentage(p -> p >= 1);
      c.check("refused").percentage(p -> p >= 1);
    });
    T built;
    try {
      built = build.get();
    } catch (ValidationException e) {
      Statistics.label(field).collect("refused");
      assertThat(e.violations()).as("violations of %s", field).anyMatch(v -> fields.test(v.field()));
      assertThat(e.violations()).allSatisfy(v -> assertPrintable(v.message()));
      return;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("building with a generated " + field + " threw " + e.getClass().getName()
          + " instead of a ValidationException", e);
    }
    Statistics.label(field).collect("accepted");
    ifAccepted.accept(built);
  }

  /** Fails when {@code message} holds a control character other than tab (which breaks no log line). */
  public static void assertPrintable(String message) {
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        Assertions.fail("message holds control character \\u%04x: %s", (int) c,
            message.replaceAll("\\p{Cntrl}", "?"));
      }
    }
  }
}
