package io.auditstream.sink.gcp;

import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.LowLevelHttpResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.ResettingServer;
import io.auditstream.testing.TestHostResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The token transport on its own, against HTTP servers on loopback and a resolver the test controls:
 * it connects only to the addresses that passed the check, verifies the token host's name over TLS,
 * follows no redirect, caps the answer, and names a reset connection.
 */
class TokenHttpTransportTest {
  private static final byte[] TOKEN = "{\"access_token\":\"ya29.t\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"
      .getBytes(StandardCharsets.UTF_8);

  private final TestHostResolver names = TestHostResolver.create();
  private final AtomicInteger hits = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int serve(HttpServer s, HttpHandler handler) {
    server = s;
    server.createContext("/", exchange -> {
      hits.incrementAndGet();
      try (exchange) {
        handler.handle(exchange);
      }
    });
    server.start();
    return server.getAddress().getPort();
  }

  private int serveToken() throws IOException {
    return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), TokenHttpTransportTest::token);
  }

  private static void token(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, TOKEN.length);
    exchange.getResponseBody().write(TOKEN);
  }

  private SinkContext permissive() {
    return loopbackContext().toBuilder().allowPlainHttp(true).hostResolver(names)
        .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(2)).build();
  }

  private SinkContext strict() {
    return permissive().toBuilder().allowLocalNetwork(false).build();
  }

  private static LowLevelHttpResponse post(SinkContext context, String url) throws IOException {
    return post(new TokenHttpTransport(context), url);
  }

  private static LowLevelHttpResponse post(TokenHttpTransport transport, String url) throws IOException {
    var request = transport.buildRequest("POST", url);
    request.setContentType("application/x-www-form-urlencoded");
    request.setStreamingContent(out -> out.write("grant_type=x".getBytes(StandardCharsets.US_ASCII)));
    return request.execute();
  }

  @Test
  void fetchesATokenOverTlsFromTheResolvedAddressVerifyingTheHostName() throws Exception {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverSslContext()));
    int port = serve(https, TokenHttpTransportTest::token);
    names.map("localhost", "127.0.0.1");
    SinkContext context = permissive().toBuilder().trustedCertificates(List.of(TestTls.get().certificate())).build();

    LowLevelHttpResponse response = post(context, "https://localhost:" + port + "/token");

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getContent().readAllBytes()).isEqualTo(TOKEN);
    assertThat(response.getContentType()).isEqualTo("application/json");
    assertThat(names.lookups()).isEqualTo(1);
  }

  @Test
  void refusesACertificateThatDoesNotNameTheTokenHost() throws Exception {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverSslContext()));
    int port = serve(https, TokenHttpTransportTest::token);
    // The certificate names localhost and 127.0.0.1 only; the connection still reaches the server.
    names.map("oauth.receiver.example", "127.0.0.1");
    SinkContext context = permissive().toBuilder().trustedCertificates(List.of(TestTls.get().certificate())).build();

    assertThatThrownBy(() -> post(context, "https://oauth.receiver.example:" + port + "/token"))
        .isInstanceOf(IOException.class)
        .hasMessage("TLS handshake with token endpoint oauth.receiver.example:" + port
            + " failed: the server's certificate is not for this host name");
    assertThat(hits).hasValue(0);
  }

  @Test
  void connectsToTheCheckedAddressNotWhereTheJvmResolvesTheName() throws Exception {
    // "localhost" is the server on loopback for the JVM; the resolver says a public address where
    // nothing listens.
    int port = serveToken();
    names.map("localhost", "203.0.113.21");

    assertThatThrownBy(() -> post(strict(), "http://localhost:" + port + "/token"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("token endpoint localhost:" + port);
    assertThat(hits).hasValue(0);
    assertThat(names.lookups()).isEqualTo(1);
  }

  @Test
  void neverReachesAnAddressThatWasNotCheckedWhenTheNameRebinds() throws Exception {
    int port = serveToken();
    names.mapSwitching("localhost", 1, List.of("203.0.113.21"), List.of("127.0.0.1"));

    assertThatThrownBy(() -> post(strict(), "http://localhost:" + port + "/token"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("token endpoint localhost:" + port);
    assertThatThrownBy(() -> post(strict(), "http://localhost:" + port + "/token"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("destination host localhost resolves to 127.0.0.1, a loopback address");
    assertThat(hits).hasValue(0);
    assertThat(names.lookups()).isEqualTo(2);
  }

  @Test
  void doesNotFollowARedirect() throws Exception {
    int target = serveToken();
    HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    redirecting.createContext("/", exchange -> {
      try (exchange) {
        exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + target + "/token");
        exchange.sendResponseHeaders(302, -1);
      }
    });
    redirecting.start();
    try {
      LowLevelHttpResponse response = post(permissive(), "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/token");

      assertThat(response.getStatusCode()).isEqualTo(302);
      assertThat(hits).hasValue(0);
    } finally {
      redirecting.stop(0);
    }
  }

  @Test
  void refusesAnAnswerLargerThan64KiB() throws Exception {
    int port = serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] big = new byte[PinnedHttpExchange.MAX_BODY_BYTES + 1];
      exchange.sendResponseHeaders(200, big.length);
      exchange.getResponseBody().write(big);
    });

    assertThatThrownBy(() -> post(permissive(), "http://127.0.0.1:" + port + "/token"))
        .isInstanceOf(IOException.class)
        .hasMessage("token endpoint 127.0.0.1:" + port + " answered with a body larger than 65536 bytes");
  }

  @Test
  void asksForAnUncompressedAnswerAndRefusesACompressedOneWhichCouldInflatePastTheCap() throws Exception {
    java.util.List<String> acceptEncodings = new java.util.concurrent.CopyOnWriteArrayList<>();
    int port = serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), exchange -> {
      exchange.getRequestBody().readAllBytes();
      acceptEncodings.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding")));
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      exchange.sendResponseHeaders(200, TOKEN.length);
      exchange.getResponseBody().write(TOKEN);
    });
    var request = new TokenHttpTransport(permissive()).buildRequest("POST", "http://127.0.0.1:" + port + "/token");
    request.addHeader("Accept-Encoding", "gzip");
    request.setStreamingContent(out -> out.write('x'));

    assertThatThrownBy(request::execute)
        .isInstanceOf(IOException.class)
        .hasMessage("token endpoint 127.0.0.1:" + port + " answered with a compressed body, which is not accepted");
    assertThat(acceptEncodings).containsExactly("null");
  }

  @Test
  void stopsReadingAnEndlessAnswerAtTheCapWithoutWaitingForItsEnd() throws Exception {
    int port = serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, 0); // chunked, no announced length
      byte[] chunk = new byte[8192];
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 100_000; i++) {
          out.write(chunk);
        }
      } catch (IOException e) {
        // the client stopped reading
      }
    });

    long start = System.nanoTime();
    assertThatThrownBy(() -> post(permissive(), "http://127.0.0.1:" + port + "/token"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered with a body larger than 65536 bytes");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void namesAConnectionResetWhileTheRequestIsSent() throws Exception {
    try (ResettingServer resetting = ResettingServer.midRequest()) {
      assertThatThrownBy(() -> post(permissive(), "http://127.0.0.1:" + resetting.port() + "/token"))
          .isInstanceOf(IOException.class)
          .hasMessage("token endpoint 127.0.0.1:" + resetting.port() + " reset the connection");
    }
  }

  @Test
  void namesAConnectionResetWhileTheAnswerIsRead() throws Exception {
    byte[] partial = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"access_token\":".getBytes(StandardCharsets.US_ASCII);
    try (ResettingServer resetting = ResettingServer.midResponse(partial)) {
      assertThatThrownBy(() -> post(permissive(), "http://127.0.0.1:" + resetting.port() + "/token"))
          .isInstanceOf(IOException.class)
          .hasMessageContainingAll("token endpoint 127.0.0.1:" + resetting.port())
          .message().containsAnyOf("reset the connection", "closed the connection before the end of its answer");
    }
  }

  @Test
  void sendsAPlainRequestThroughTheJvmsHttpProxyWhenLocalNetworkIsAllowedWithoutResolvingTheName() throws Exception {
    try (FakeHttpProxy proxy = new FakeHttpProxy(TOKEN)) {
      LowLevelHttpResponse response = post(new TokenHttpTransport(permissive(), proxy.selector()),
          "http://oauth.receiver.example:8080/token?x=1");

      assertThat(response.getStatusCode()).isEqualTo(200);
      assertThat(response.getContent().readAllBytes()).isEqualTo(TOKEN);
      assertThat(proxy.requestLines()).containsExactly("POST http://oauth.receiver.example:8080/token?x=1 HTTP/1.1");
      assertThat(names.lookups()).isZero();
    }
  }

  @Test
  void tunnelsTlsThroughTheJvmsHttpProxyStillVerifyingTheTokenHostsName() throws Exception {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverSslContext()));
    int port = serve(https, TokenHttpTransportTest::token);
    SinkContext context = permissive().toBuilder().trustedCertificates(List.of(TestTls.get().certificate())).build();
    try (FakeHttpProxy proxy = new FakeHttpProxy(new byte[0])) {
      LowLevelHttpResponse response = post(new TokenHttpTransport(context, proxy.selector()),
          "https://localhost:" + port + "/token");

      assertThat(response.getStatusCode()).isEqualTo(200);
      assertThat(response.getContent().readAllBytes()).isEqualTo(TOKEN);
      assertThat(proxy.requestLines()).containsExactly("CONNECT localhost:" + port + " HTTP/1.1");
      assertThat(hits).hasValue(1);
    }
  }

  @Test
  void ignoresTheJvmsProxyWhileLocalNetworkIsRefusedSinceTheProxyWouldResolveTheNameAgain() throws Exception {
    int port = serveToken();
    names.map("localhost", "203.0.113.21");
    try (FakeHttpProxy proxy = new FakeHttpProxy(TOKEN)) {
      assertThatThrownBy(() -> post(new TokenHttpTransport(strict(), proxy.selector()),
          "http://localhost:" + port + "/token"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("token endpoint localhost:" + port);
      assertThat(proxy.requestLines()).isEmpty();
      assertThat(hits).hasValue(0);
    }
  }
}
