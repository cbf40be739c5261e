package io.auditstream.api;

/** Thrown when a destination, header or other named thing does not exist. */
public final class NotFoundException extends AuditStreamException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} names what was looked for. */
  public NotFoundException(String message) {
    super(message);
  }
}
