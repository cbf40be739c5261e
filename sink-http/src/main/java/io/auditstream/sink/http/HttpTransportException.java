package io.auditstream.sink.http;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * Why an {@link HttpTransport} could not get a response, in terms the sink maps to retryable or
 * permanent failures. The message never holds a header value, the URL's path or query, or user
 * information: transports build it with {@link #of(Reason, Throwable)} or from text of their own.
 */
public final class HttpTransportException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Whether {@code error}, or one of its causes, is a failure of TLS ({@link javax.net.ssl.SSLException}):
   * transports report it as {@link Reason#TLS}.
   */
  public static boolean isTls(Throwable error) {
    return io.auditstream.api.sink.TlsFailures.describe(error).isPresent();
  }

  /**
   * A {@link Reason#TLS} exception for {@code cause}, whose message says what failed in words a host's
   * operator acts on: the certificate is not trusted, not for the host name, or expired; otherwise the
   * TLS exception's class name and, when it cannot quote the request, its message.
   */
  public static HttpTransportException tls(Throwable cause) {
    HttpTransportException e = new HttpTransportException(Reason.TLS, tlsDescription(cause));
    e.initCause(cause);
    return e;
  }

  private static String tlsDescription(Throwable error) {
    return io.auditstream.api.sink.TlsFailures.describe(error).orElseGet(() -> safeDescription(error));
  }


  /** What went wrong. */
  public enum Reason {
    /** No connection within the connect timeout; retryable. */
    CONNECT_TIMEOUT,
    /** The connection was refused or could not be made; retryable. */
    CONNECT_FAILED,
    /** No complete response within the request's timeout; retryable. */
    REQUEST_TIMEOUT,
    /** The host name did not resolve, or not in time; retryable. */
    UNRESOLVED_HOST,
    /** The host resolves to an address the network policy refuses; permanent, the message says which. */
    REFUSED_ADDRESS,
    /** The client refuses the request itself (a header it does not allow, say); permanent. */
    INVALID_REQUEST,
    /**
     * The TLS handshake failed: a certificate that is not trusted, not for the host name, or expired, or
     * no protocol both sides speak; retryable (a certificate may be renewed), and named as such.
     */
    TLS,
    /** Any other I/O error: the connection closed, a malformed response; retryable. */
    IO_ERROR,
    /** The transport was closed; retryable. */
    CLOSED
  }

  private final Reason reason;

  /**
   * An exception with a message of the transport's own.
   *
   * @param message what happened; must hold no header value, no path, query or user information
   */
  public HttpTransportException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * An exception for {@code cause}, a client's own exception, whose message is the cause's simple
   * class name, with its message only when that cannot quote the request (it has no {@code /} and
   * no {@code http}).
   */
  public static HttpTransportException of(Reason reason, Throwable cause) {
    HttpTransportException e = new HttpTransportException(reason, safeDescription(cause));
    e.initCause(cause);
    return e;
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }

  /**
   * {@code t}'s simple class name, and its message when that holds no request data: a message that
   * could quote a URL (it holds {@code /} or {@code http}) is left out.
   */
  static String safeDescription(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    String message = t.getMessage();
    boolean quotesRequest = message != null
        && (message.contains("/") || message.toLowerCase(Locale.ROOT).contains("http"));
    return message == null || message.isBlank() || quotesRequest
        ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + " (" + message + ")";
  }
}
