package io.auditstream.sink.gcp;

import static io.auditstream.sink.gcp.GcpTestSupport.CLIENT_EMAIL;
import static io.auditstream.sink.gcp.GcpTestSupport.PROJECT;
import static io.auditstream.sink.gcp.GcpTestSupport.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.logging.v2.LogEntry;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.TestCertificate;
import io.auditstream.testing.TestHostResolver;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token requests over TLS, to a token endpoint on loopback that verifies the signed assertion and presents a
 * certificate for {@code localhost} signed by a CA of the test: with that CA added by the host, the write
 * goes through; a certificate that is not trusted, not for the token host's name, or expired fails it
 * retryably, with a last error that says which. Cloud Logging itself is a TLS server the host trusts, so the
 * token endpoint is the only thing wrong.
 */
class GcpTokenEndpointTlsTest {
  private static final ServiceAccountKeys KEYS = ServiceAccountKeys.generate();
  private static final TestCertificate AUTHORITY = TestCertificate.authority("Token Test CA");
  private static final Instant NOW = Instant.now();
  private static final TestCertificate CURRENT = AUTHORITY.issue(NOW.minus(Duration.ofDays(1)),
      NOW.plus(Duration.ofDays(1)), "localhost");
  private static final TestCertificate EXPIRED = AUTHORITY.issue(NOW.minus(Duration.ofDays(31)),
      NOW.minus(Duration.ofDays(1)), "localhost");

  private FakeTokenEndpoint tokens;
  private FakeCloudLogging server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  /** Starts a token endpoint presenting {@code certificate}, and Cloud Logging accepting the tokens it issues. */
  private void start(TestCertificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificate.keyStoreFile())) {
      store.load(in, certificate.password().toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, certificate.password().toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    tokens = FakeTokenEndpoint.startTls(KEYS.publicKey(), CLIENT_EMAIL, LoggingClientFactory.SCOPE, tls);
    server = FakeCloudLogging.tls(TestTls.get().serverCredentials(), tokens::issued);
  }

  /** Trusts Cloud Logging's certificate and {@code more}; "localhost" is the token endpoint on loopback. */
  private static SinkContext trusting(X509Certificate... more) {
    List<X509Certificate> trusted = new ArrayList<>(List.of(TestTls.get().certificate()));
    trusted.addAll(List.of(more));
    return loopbackContext().toBuilder()
        .hostResolver(TestHostResolver.create().map("localhost", "127.0.0.1"))
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5))
        .trustedCertificates(trusted).build();
  }

  private GcpLoggingDestinationConfig config(String tokenServerUri) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(PROJECT)
        .clientEmail(CLIENT_EMAIL)
        .privateKey(KEYS.privateKeyPem())
        .endpoint(server.endpoint())
        .tokenServerUri(tokenServerUri)
        .build();
  }

  private void deliver(GcpLoggingDestinationConfig config, SinkContext context, String eventId)
      throws DeliveryException {
    try (Sink sink = new GcpLoggingSinkProvider().create(destination(config), context)) {
      sink.deliver(List.of(event(eventId, "group_created", EntityType.GROUP, "acme")));
    }
  }

  /** The failure of a write whose token comes from {@code tokenServerUri}, which must keep it from Cloud Logging. */
  private DeliveryException failure(String tokenServerUri, SinkContext context) {
    try {
      deliver(config(tokenServerUri), context, "evt-refused");
    } catch (DeliveryException e) {
      assertThat(server.attempts()).as("no write reached Cloud Logging").isZero();
      return e;
    }
    throw new AssertionError("delivery succeeded");
  }

  private String tokenFailure(String tokenHost, String description) {
    return "Cloud Logging (projects/" + PROJECT + "/logs/audit-events at " + server.endpoint()
        + ") answered UNAVAILABLE: could not get a token for service account " + CLIENT_EMAIL
        + ": TLS handshake with token endpoint " + tokenHost + " failed: " + description;
  }

  @Test
  void writesWithATokenFromAnEndpointWhoseCertificateAuthorityTheHostAdded() throws Exception {
    start(CURRENT);

    deliver(config(tokens.uri("localhost").toString()), trusting(AUTHORITY.certificate()), "evt-written");

    assertThat(tokens.acceptedClaims()).hasSize(1);
    assertThat(server.entries()).extracting(LogEntry::getInsertId).containsExactly("evt-written");
  }

  @Test
  void namesAnUntrustedTokenEndpointCertificateAsSuchAndRetries() throws Exception {
    start(CURRENT);

    DeliveryException e = failure(tokens.uri("localhost").toString(), trusting());

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage(tokenFailure("localhost:" + tokens.uri().getPort(),
        "the server's certificate is not trusted (add its CA with trustedCertificates, or fix the chain)"));
    assertThat(tokens.assertions()).as("no assertion was sent").isEmpty();
  }

  @Test
  void namesATokenEndpointCertificateForAnotherHostAsSuchAndRetries() throws Exception {
    start(CURRENT);

    // The certificate is trusted, but names localhost only.
    DeliveryException e = failure(tokens.uri("127.0.0.1").toString(), trusting(AUTHORITY.certificate()));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage(tokenFailure("127.0.0.1:" + tokens.uri().getPort(),
        "the server's certificate is not for this host name"));
    assertThat(tokens.assertions()).as("no assertion was sent").isEmpty();
  }

  @Test
  void namesAnExpiredTokenEndpointCertificateAsSuchAndRetries() throws Exception {
    start(EXPIRED);
    // Trusted through its CA and for the right name: its dates are the only thing wrong with it.
    assertThat(EXPIRED.certificate().getNotAfter()).isBefore(new Date());

    DeliveryException e = failure(tokens.uri("localhost").toString(), trusting(AUTHORITY.certificate()));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage(tokenFailure("localhost:" + tokens.uri().getPort(),
        "the server's certificate has expired"));
    assertThat(tokens.assertions()).as("no assertion was sent").isEmpty();
  }
}
