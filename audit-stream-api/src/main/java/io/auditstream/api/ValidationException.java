package io.auditstream.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown when input breaks a validation rule. Carries every rule that was broken, each naming its
 * field, so that a host can show them next to the right input. Never echoes a secret, and its
 * message is one line: input it echoes has its control characters escaped ({@link LogText}).
 */
public final class ValidationException extends AuditStreamException {
  private static final long serialVersionUID = 1L;
  private final List<Violation> violations;

  /**
   * One broken rule: the field (for example {@code headers[2].key}) and what the rule is.
   *
   * @param field the field that breaks the rule, as the host's input names it
   * @param message what the rule is, naming the field; never a secret
   */
  public record Violation(String field, String message) {
    /**
     * Creates the violation; both components are required. Line breaks and other control characters
     * in either (input echoed in a message) are escaped with {@link LogText#escape}, so that a message
     * a host logs stays on one line.
     *
     * @throws NullPointerException when {@code field} or {@code message} is null
     */
    public Violation {
      field = LogText.escape(Objects.requireNonNull(field, "field"));
      message = LogText.escape(Objects.requireNonNull(message, "message"));
    }

    @Override
    public String toString() {
      return message;
    }
  }

  /**
   * Creates the exception from every broken rule; its message joins their messages with {@code "; "}.
   *
   * @throws IllegalArgumentException when {@code violations} is empty
   */
  public ValidationException(List<Violation> violations) {
    super(violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** A single violation; {@code message} should name the field and the rule. */
  public ValidationException(String field, String message) {
    this(List.of(new Violation(field, message)));
  }

  /** Every broken rule, in the order they were found. */
  public List<Violation> violations() {
    return violations;
  }

  /** The field of the first broken rule. */
  public String field() {
    return violations.get(0).field();
  }

  /** Starts collecting violations; {@link Collector#throwIfAny()} throws when any were found. */
  public static Collector collector() {
    return new Collector();
  }

  /** Gathers the violations of one validation pass. Not thread-safe; use one per pass. */
  public static final class Collector {
    private final List<Violation> found = new ArrayList<>();

    private Collector() {}

    /** Records a violation of {@code field} with {@code message} unless {@code ok}. */
    public Collector check(boolean ok, String field, String message) {
      if (!ok) {
        found.add(new Violation(field, message));
      }
      return this;
    }

    /** Records a violation unconditionally. */
    public Collector add(String field, String message) {
      found.add(new Violation(field, message));
      return this;
    }

    /** Adds the violations of another failed validation, with their fields prefixed. */
    public Collector addAll(String fieldPrefix, ValidationException e) {
      for (Violation v : e.violations()) {
        found.add(new Violation(fieldPrefix + v.field(), v.message()));
      }
      return this;
    }

    /** Whether no violation has been recorded yet. */
    public boolean isEmpty() {
      return found.isEmpty();
    }

    /** Throws a {@link ValidationException} with every violation collected, if any. */
    public void throwIfAny() {
      if (!found.isEmpty()) {
        throw new ValidationException(found);
      }
    }
  }
}
