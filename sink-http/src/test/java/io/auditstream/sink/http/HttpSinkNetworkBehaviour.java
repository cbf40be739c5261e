package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.EndlessResponseServer;
import io.auditstream.testing.SinkTestKit;
import io.auditstream.testing.TestCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timeouts, unreachable servers, interruption and the local network refusal, end to end. The only
 * addresses contacted are on loopback. Every transport runs these.
 */
abstract class HttpSinkNetworkBehaviour extends TransportUnderTest {
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
  private static final String HEADER_SECRET = "hdr-5b2d8f40aa17";

  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();
  // For localhost only, so that a request to 127.0.0.1 meets a certificate for another name.
  private static final TestCertificate CERTIFICATE = TestCertificate.forNames("localhost");
  @RegisterExtension
  static final WireMockExtension tlsServer = WireMockExtension.newInstance()
      .options(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort().jettyAcceptors(1)
          .keystorePath(CERTIFICATE.keyStoreFile().toString()).keystoreType("PKCS12")
          .keystorePassword(CERTIFICATE.password()).keyManagerPassword(CERTIFICATE.password()))
      .build();
  // Trusted through its CA and for localhost, so that its dates are the only thing wrong with it.
  private static final TestCertificate AUTHORITY = TestCertificate.authority("Receiver Test CA");
  private static final Instant EXPIRY = Instant.now().minus(Duration.ofDays(1));
  private static final TestCertificate EXPIRED = AUTHORITY.issue(EXPIRY.minus(Duration.ofDays(30)), EXPIRY,
      "localhost");
  @RegisterExtension
  static final WireMockExtension expiredTlsServer = WireMockExtension.newInstance()
      .options(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort().jettyAcceptors(1)
          .keystorePath(EXPIRED.keyStoreFile().toString()).keystoreType("PKCS12")
          .keystorePassword(EXPIRED.password()).keyManagerPassword(EXPIRED.password()))
      .build();

  @Test
  void failsRetryablyWhenTheResponseTakesLongerThanTheRequestTimeout() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));

    long start = System.nanoTime();
    DeliveryException e = failure(url("/slow"), shortTimeouts());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessageContaining("did not answer within 300 ms");
    assertThat(took).isLessThan(Duration.ofMillis(2_500));
  }

  @Test
  void boundsAResponseBodyThatTricklesIn() {
    // Headers arrive at once, the body over three seconds: the timeout must cover the body too.
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
        .withBody("x".repeat(60)).withChunkedDribbleDelay(60, 3_000)));

    long start = System.nanoTime();
    DeliveryException e = failure(url("/trickle"), shortTimeouts());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.isRetryable()).isTrue();
    assertThat(took).isLessThan(Duration.ofMillis(2_500));
  }

  @Test
  void boundsARequestThatNeverGetsAnAnswerByTheRequestTimeout() throws Exception {
    try (SilentServer silent = SilentServer.start()) {
      String url = "http://127.0.0.1:" + silent.port() + "/audit";

      long start = System.nanoTime();
      DeliveryException blocking = failure(url, shortTimeouts());
      DeliveryException async;
      try (Sink sink = sink(HttpDestinationConfig.of(url), shortTimeouts())) {
        CompletableFuture<Void> delivery = sink.deliverAsync(List.of(TestEvents.event("user_created")), Runnable::run);
        Throwable error = catchThrowable(() -> delivery.get(5, TimeUnit.SECONDS));
        assertThat(error).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DeliveryException.class);
        async = (DeliveryException) error.getCause();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      for (DeliveryException e : List.of(blocking, async)) {
        assertThat(e.isRetryable()).isTrue();
        assertThat(e).hasMessageContaining("did not answer within 300 ms");
      }
      assertThat(silent.accepted()).isGreaterThanOrEqualTo(2);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void failsRetryablyWhenTheConnectionIsRefused() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    DeliveryException e = failure("http://127.0.0.1:" + closedPort + "/audit", shortTimeouts());

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessageContaining("127.0.0.1:" + closedPort);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]"})
  void refusesLoopbackDestinationsUnlessLocalNetworkIsAllowed(String host) {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    SinkContext refusing = SinkTestKit.loopbackContext().toBuilder().allowLocalNetwork(false).allowPlainHttp(true).build();

    DeliveryException e = failure("http://" + host + ":" + server.getPort() + "/refused", refusing);

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("a loopback address")
        .hasMessageContaining("allowLocalNetwork(true)")
        .hasMessageNotContaining(SinkTestKit.TOKEN)
        .hasMessageNotContaining(HEADER_SECRET);
    assertThat(requestsTo("/refused")).isZero();
  }

  @Test
  void checksTheAddressBeforeEveryRequestNotOnlyTheFirst() throws Exception {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    SinkContext refusing = SinkTestKit.loopbackContext().toBuilder().allowLocalNetwork(false).allowPlainHttp(true).build();

    try (Sink sink = sink(HttpDestinationConfig.of(url("/refused")), refusing)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
            () -> sink.deliver(List.of(TestEvents.event("user_created"))));
        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isFalse();
      }
    }
    assertThat(requestsTo("/refused")).isZero();
  }

  @Test
  void restoresTheInterruptFlagAndFailsRetryablyWhenInterrupted() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));

    Thread.currentThread().interrupt();
    DeliveryException e;
    try {
      e = failure(url("/audit"), SinkTestKit.loopbackContext());
    } finally {
      // Thread.interrupted() also clears the flag, so the next test starts clean.
      assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
    }

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessageContaining("interrupted");
  }

  @Test
  void refusesToDeliverAfterClose() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    Sink sink = sink(HttpDestinationConfig.of(url("/audit")), SinkTestKit.loopbackContext());
    sink.close();
    sink.close();

    DeliveryException e = catchThrowableOfType(DeliveryException.class,
        () -> sink.deliver(List.of(TestEvents.event("user_created"))));

    assertThat(e).isNotNull();
    assertThat(e.isRetryable()).isTrue();
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  private static SinkContext shortTimeouts() {
    return SinkTestKit.loopbackContext().toBuilder()
        .connectTimeout(SHORT_TIMEOUT)
        .requestTimeout(SHORT_TIMEOUT)
        .build();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  @Test
  void givesUpOnAnEndlessBodyWithinTheRequestTimeoutAndStopsReadingIt() throws Exception {
    try (EndlessResponseServer endless = EndlessResponseServer.floodingBody(200, "text/plain", "")) {
      long start = System.nanoTime();
      DeliveryException e = failure(endless.url("/endless"), shortTimeouts());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageContaining("did not answer within 300 ms");
      assertThat(took).isLessThan(Duration.ofMillis(2_500));
      // The sink closed the exchange: the receiver can push no more than what socket buffers hold.
      long after = endless.sent();
      Thread.sleep(300);
      assertThat(endless.sent() - after).as("bytes pushed after the sink gave up").isLessThan(8L * 1024 * 1024);
    }
  }

  @Test
  void givesUpOnAnEndlessHeaderSectionWithoutReadingItIntoMemory() throws Exception {
    try (EndlessResponseServer endless = EndlessResponseServer.endlessHeaders()) {
      long start = System.nanoTime();
      DeliveryException e = failure(endless.url("/endless"), shortTimeouts());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(e.isRetryable()).isTrue();
      assertThat(took).isLessThan(Duration.ofMillis(2_500));
      // A client that kept every header line it read would take in far more within the timeout: the JDK
      // client stops at 384 KiB of headers, Apache's at its header-count bound, and both close the connection.
      assertThat(endless.sent()).as("header bytes the receiver got rid of").isLessThan(16L * 1024 * 1024);
    }
  }

  @Test
  void namesAnUntrustedCertificateAsSuchAndRetries() {
    tlsServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

    DeliveryException e = failure("https://localhost:" + tlsServer.getHttpsPort() + "/audit",
        SinkTestKit.loopbackContext());

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage("TLS handshake with destination host localhost:" + tlsServer.getHttpsPort()
        + " failed: the server's certificate is not trusted (add its CA with trustedCertificates, or fix the chain)");
    assertThat(tlsServer.getAllServeEvents()).isEmpty();
  }

  @Test
  void deliversOverTlsToAReceiverWhoseCertificateTheHostAdded() throws Exception {
    tlsServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    SinkContext trusting = SinkTestKit.loopbackContext().toBuilder()
        .trustedCertificates(List.of(CERTIFICATE.certificate())).build();

    try (Sink sink = sink(HttpDestinationConfig.of("https://localhost:" + tlsServer.getHttpsPort() + "/audit"),
        trusting)) {
      sink.deliver(List.of(TestEvents.event("user_created")));
    }
    assertThat(tlsServer.getAllServeEvents()).hasSize(1);
  }

  @Test
  void namesACertificateForAnotherHostAsSuchEvenWhenItIsTrusted() {
    tlsServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    SinkContext trusting = SinkTestKit.loopbackContext().toBuilder()
        .trustedCertificates(List.of(CERTIFICATE.certificate())).build();

    DeliveryException e = failure("https://127.0.0.1:" + tlsServer.getHttpsPort() + "/audit", trusting);

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage("TLS handshake with destination host 127.0.0.1:" + tlsServer.getHttpsPort()
        + " failed: the server's certificate is not for this host name");
    assertThat(tlsServer.getAllServeEvents()).isEmpty();
  }

  @Test
  void namesAnExpiredCertificateAsSuchAndRetries() {
    expiredTlsServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    SinkContext trusting = SinkTestKit.loopbackContext().toBuilder()
        .trustedCertificates(List.of(AUTHORITY.certificate())).build();
    assertThat(EXPIRED.certificate().getNotAfter()).isBefore(new Date());

    DeliveryException e = failure("https://localhost:" + expiredTlsServer.getHttpsPort() + "/audit", trusting);

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage("TLS handshake with destination host localhost:" + expiredTlsServer.getHttpsPort()
        + " failed: the server's certificate has expired");
    assertThat(expiredTlsServer.getAllServeEvents()).isEmpty();
  }

  /**
   * Requests the server received for {@code path}. By path, not all: a request of an earlier test whose
   * response was still dribbling out when the server was reset is logged once it ends.
   */
  private static int requestsTo(String path) {
    return server.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
  }

  private DeliveryException failure(String url, SinkContext context) {
    HttpDestinationConfig config = HttpDestinationConfig.builder()
        .destinationUrl(url)
        .header("Authorization", "Bearer " + HEADER_SECRET)
        .build();
    DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> {
      try (Sink sink = sink(config, context)) {
        sink.deliver(List.of(TestEvents.event("user_created")));
      }
    });
    assertThat(e).as("delivery should have failed").isNotNull();
    assertThat(e.getMessage()).doesNotContain(SinkTestKit.TOKEN).doesNotContain(HEADER_SECRET);
    return e;
  }
}
