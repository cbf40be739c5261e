package io.auditstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCertificateTest {
  private static final TestCertificate AUTHORITY = TestCertificate.authority("Kit Test CA");

  @Test
  void issuesACertificateForTheNamesAndDatesGivenSignedByTheAuthority() throws Exception {
    Instant expiry = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    Instant start = expiry.minus(Duration.ofDays(30));

    TestCertificate issued = AUTHORITY.issue(start, expiry, "localhost", "127.0.0.1");

    X509Certificate certificate = issued.certificate();
    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(start);
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(expiry);
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    List<Object> names = certificate.getSubjectAlternativeNames().stream().<Object>map(name -> name.get(1)).toList();
    assertThat(names).containsExactly("localhost", "127.0.0.1");
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(AUTHORITY.certificate().getSubjectX500Principal());
    certificate.verify(AUTHORITY.certificate().getPublicKey());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(issued.keyStoreFile())) {
      store.load(in, issued.password().toCharArray());
    }
    assertThat(store.getCertificateChain("server")).containsExactly(certificate, AUTHORITY.certificate());
    assertThat(AUTHORITY.certificate().getBasicConstraints()).as("a CA").isNotNegative();
  }

  @Test
  void refusesValidityThatIsNotAWholeNumberOfDays() {
    Instant start = Instant.now();

    assertThatThrownBy(() -> AUTHORITY.issue(start, start.plus(Duration.ofHours(36)), "localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole days");
    assertThatThrownBy(() -> AUTHORITY.issue(start, start, "localhost"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
