package io.auditstream.api;

/** Thrown when an actor may not manage the streaming destinations of a group (only its Owners may). */
public final class AccessDeniedException extends AuditStreamException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} says what the actor tried and must not contain a secret. */
  public AccessDeniedException(String message) {
    super(message);
  }
}
