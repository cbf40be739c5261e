package io.auditstream.api.sink;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Names a failed TLS handshake in words an operator acts on, so that every kind's last error says the
 * same thing for the same cause: the server's certificate is not trusted, is not for the host name, has
 * expired, or is not valid yet; otherwise the TLS exception's class name. Sinks put it after their own prefix, for example
 * {@code "TLS handshake with destination host h:443 failed: " + description}. Never quotes a request.
 * Stateless and thread-safe.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /**
   * What failed, when {@code error} or one of its causes is a TLS failure ({@link SSLException}); empty
   * otherwise.
   */
  public static Optional<String> describe(Throwable error) {
    Throwable ssl = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLException && ssl == null) {
        ssl = t;
      }
    }
    if (ssl == null) {
      return Optional.empty();
    }
    // First, and through the whole chain: the JDK wraps the expiry in the path validation failure, which
    // alone would read as an untrusted certificate.
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return Optional.of("the server's certificate has expired");
      }
      if (t instanceof CertificateNotYetValidException) {
        return Optional.of("the server's certificate is not valid yet (check this host's clock and the"
            + " certificate's dates)");
      }
    }
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof SSLPeerUnverifiedException || (t instanceof CertificateException
          && (message.startsWith("No subject alternative") || message.startsWith("No name matching")))) {
        return Optional.of("the server's certificate is not for this host name");
      }
      if (t instanceof CertPathValidatorException || t.getClass().getName().endsWith("SunCertPathBuilderException")) {
        return Optional.of("the server's certificate is not trusted (add its CA with trustedCertificates, or fix"
            + " the chain)");
      }
    }
    // The class name only: a TLS message may quote the peer's certificate or the request.
    return Optional.of(ssl.getClass().getSimpleName());
  }
}
