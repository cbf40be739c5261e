package io.auditstream.api;

/**
 * Thrown when a destination's kind has no sink on the classpath. The message names the artifact to
 * add, for example {@code io.auditstream:sink-gcp-logging}.
 */
public final class MissingSinkException extends AuditStreamException {
  private static final long serialVersionUID = 1L;
  private final String kind;

  /** Creates the exception for {@code kind}; {@code message} should name the artifact that provides it. */
  public MissingSinkException(String kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** The destination kind that has no provider. */
  public String kind() {
    return kind;
  }
}
