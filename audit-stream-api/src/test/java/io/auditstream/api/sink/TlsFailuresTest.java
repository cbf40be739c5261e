package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The words for a failed handshake, from cause chains shaped as the JDK's: the sinks' tests meet the same
 * failures from real TLS servers.
 */
class TlsFailuresTest {
  private static SSLHandshakeException handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("PKIX path validation failed");
    e.initCause(cause);
    return e;
  }

  @Test
  void namesAnExpiredCertificateThoughThePathValidationFailureWrapsTheExpiry() {
    CertPathValidatorException validation = new CertPathValidatorException("validity check failed",
        new CertificateExpiredException("NotAfter: Sun Jan 01 00:00:00 UTC 2023"));
    Throwable error = new IOException(handshake(new CertificateException("PKIX path validation failed", validation)));

    assertThat(TlsFailures.describe(error)).hasValue("the server's certificate has expired");
  }

  @Test
  void namesACertificateNotValidYetAsSuchRatherThanAsNotTrusted() {
    CertPathValidatorException validation = new CertPathValidatorException("validity check failed",
        new CertificateNotYetValidException("NotBefore: Sun Jan 01 00:00:00 UTC 2040"));

    assertThat(TlsFailures.describe(handshake(new CertificateException("PKIX path validation failed", validation))))
        .hasValueSatisfying(d -> assertThat(d).startsWith("the server's certificate is not valid yet"));
  }

  @Test
  void namesACertificateThatNoTrustedPathLeadsToAsNotTrusted() {
    CertPathValidatorException validation = new CertPathValidatorException("Path does not chain with any of the"
        + " trust anchors");

    assertThat(TlsFailures.describe(handshake(new CertificateException("PKIX path validation failed", validation))))
        .hasValue("the server's certificate is not trusted (add its CA with trustedCertificates, or fix the chain)");
  }

  @Test
  void namesACertificateForAnotherHostAsSuch() {
    assertThat(TlsFailures.describe(handshake(new CertificateException("No name matching hooks.example found"))))
        .hasValue("the server's certificate is not for this host name");
  }

  @Test
  void saysNothingOfAFailureThatIsNotTls() {
    assertThat(TlsFailures.describe(new IOException(new CertificateExpiredException("not in a handshake"))))
        .isEmpty();
  }
}
