package io.auditstream.sink.s3;

import static io.auditstream.sink.s3.TestEvents.encoded;
import static io.auditstream.sink.s3.TestEvents.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import io.auditstream.testing.TestCertificate;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to an S3 endpoint: a certificate the host added through the sink context is trusted, and one it did not,
 * or one that has expired, is named as such in the failure. The endpoint is an HTTPS server on loopback that
 * accepts every request.
 */
class S3SinkTlsTest {
  private static final TestCertificate CERTIFICATE = TestCertificate.forNames("localhost");
  private static final AtomicInteger REQUESTS = new AtomicInteger();
  private static HttpsServer server;

  @BeforeAll
  static void start() throws Exception {
    server = start(CERTIFICATE);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HttpsServer start(TestCertificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(certificate.keyStoreFile())) {
      store.load(in, certificate.password().toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, certificate.password().toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    https.createContext("/", exchange -> {
      REQUESTS.incrementAndGet();
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      exchange.getResponseHeaders().set("ETag", "\"0\"");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    https.start();
    return https;
  }

  private static S3DestinationConfig config() {
    return config(server);
  }

  private static S3DestinationConfig config(HttpsServer endpoint) {
    return S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").bucketName("tls-test").awsRegion("eu-west-1")
        .endpoint("https://localhost:" + endpoint.getAddress().getPort()).pathStyleAccess(true).build();
  }

  @Test
  void namesAnUntrustedCertificateAsSuchAndRetries() {
    int before = REQUESTS.get();
    try (Sink sink = new S3SinkProvider().create(destination(config()), SinkTestKit.loopbackContext())) {
      assertThatThrownBy(() -> sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme",
          Instant.now())))))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessage("TLS handshake with S3 bucket tls-test at localhost:" + server.getAddress().getPort()
              + " failed: the server's certificate is not trusted (add its CA with trustedCertificates, or fix the"
              + " chain)");
    }
    assertThat(REQUESTS.get()).isEqualTo(before);
  }

  @Test
  void writesToAnEndpointWhoseCertificateTheHostAdded() throws Exception {
    int before = REQUESTS.get();
    SinkContext trusting = SinkTestKit.loopbackContext().toBuilder()
        .trustedCertificates(List.of(CERTIFICATE.certificate())).build();

    try (Sink sink = new S3SinkProvider().create(destination(config()), trusting)) {
      sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
    }
    assertThat(REQUESTS.get()).isEqualTo(before + 1);
  }

  @Test
  void namesAnExpiredCertificateAsSuchAndRetries() throws Exception {
    // Trusted through its CA and for the right name: its dates are the only thing wrong with it.
    TestCertificate authority = TestCertificate.authority("S3 Test CA");
    Instant expiry = Instant.now().minus(Duration.ofDays(1));
    TestCertificate expired = authority.issue(expiry.minus(Duration.ofDays(30)), expiry, "localhost");
    assertThat(expired.certificate().getNotAfter()).isBefore(new Date());
    SinkContext trusting = SinkTestKit.loopbackContext().toBuilder()
        .trustedCertificates(List.of(authority.certificate())).build();
    HttpsServer endpoint = start(expired);
    int before = REQUESTS.get();
    try (Sink sink = new S3SinkProvider().create(destination(config(endpoint)), trusting)) {
      assertThatThrownBy(() -> sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme",
          Instant.now())))))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
          .hasMessage("TLS handshake with S3 bucket tls-test at localhost:" + endpoint.getAddress().getPort()
              + " failed: the server's certificate has expired");
    } finally {
      endpoint.stop(0);
    }
    assertThat(REQUESTS.get()).isEqualTo(before);
  }
}
