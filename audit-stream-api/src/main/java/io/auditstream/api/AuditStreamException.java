package io.auditstream.api;

/**
 * Base type of every exception that audit-stream throws on purpose.
 *
 * <p>Messages never contain a secret (verification token, private key, secret access key).
 */
public class AuditStreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} must not contain a secret. */
  public AuditStreamException(String message) {
    super(message);
  }

  /** Creates the exception with the failure that caused it; {@code message} must not contain a secret. */
  public AuditStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
