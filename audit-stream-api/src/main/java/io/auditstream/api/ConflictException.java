package io.auditstream.api;

/**
 * Thrown when a change would break a uniqueness rule or a limit (a second destination with the same
 * name, URL, bucket, or Cloud Logging project and log in a group, more destinations of a kind than
 * the group may have).
 */
public final class ConflictException extends AuditStreamException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /**
   * Creates the exception for the conflicting {@code field}; {@code message} names the rule that was broken.
   */
  public ConflictException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field whose value conflicts, for example {@code name} or {@code destinationUrl}. */
  public String field() {
    return field;
  }
}
