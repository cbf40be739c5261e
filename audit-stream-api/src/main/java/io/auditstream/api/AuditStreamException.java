package io.auditstream.api;

/**
 * Base type of every exception that audit-stream throws on purpose.
 *
 * <p>Messages never contain a secret (verification token, private key, secret access key), and are
 * one line: line breaks and other control characters in them (input a message echoes) are escaped
 * with {@link LogText#escape}, so a host that logs them logs one line each.
 */
public class AuditStreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} must not contain a secret. */
  public AuditStreamException(String message) {
    super(oneLine(message));
  }

  /** Creates the exception with the failure that caused it; {@code message} must not contain a secret. */
  public AuditStreamException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    return message == null ? null : LogText.escape(message);
  }
}
