package io.auditstream.sink.gcp;

import static io.auditstream.sink.gcp.GcpTestSupport.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
import io.auditstream.testing.ResettingServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Cloud Logging endpoint or token endpoint that resets the connection (a TCP RST) gives a retryable
 * failure whose message says where and what, quickly, never a hang.
 */
class GcpLoggingResetTest {
  /** An HTTP/2 SETTINGS frame with no settings: the first thing a gRPC server sends. */
  private static final byte[] HTTP2_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  private static final ServiceAccountKeys KEYS = ServiceAccountKeys.generate();

  private static final SinkContext CONTEXT = loopbackContext().toBuilder().allowPlainHttp(true)
      .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5))
      .trustedCertificates(List.of(TestTls.get().certificate())).build();

  private static DeliveryException failure(GcpLoggingDestinationConfig config) {
    try (GcpLoggingSink sink = (GcpLoggingSink) new GcpLoggingSinkProvider().create(destination(config), CONTEXT)) {
      sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
      throw new AssertionError("delivery succeeded");
    } catch (DeliveryException e) {
      return e;
    }
  }

  private static GcpLoggingDestinationConfig plaintextAt(int port) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(GcpTestSupport.PROJECT)
        .clientEmail(GcpTestSupport.CLIENT_EMAIL)
        .endpoint("127.0.0.1:" + port)
        .plaintext(true)
        .build();
  }

  /** A write to {@code server} fails retryably within seconds, as UNAVAILABLE of that endpoint. */
  private void assertFailsRetryablyAtOnce(ResettingServer server) throws Exception {
      long start = System.nanoTime();
      DeliveryException e = failure(plaintextAt(server.port()));

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageStartingWith("Cloud Logging (projects/" + GcpTestSupport.PROJECT + "/logs/audit-events at 127.0.0.1:"
          + server.port() + ") answered UNAVAILABLE");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(server.connections()).isPositive();
  }

  @Test
  void failsRetryablyWhenTheEndpointResetsTheConnectionWhileTheCallIsSent() throws Exception {
    try (ResettingServer server = ResettingServer.midRequest()) {
      assertFailsRetryablyAtOnce(server);
    }
  }

  @Test
  void failsRetryablyWhenTheEndpointResetsTheConnectionAfterItStartedToAnswer() throws Exception {
    try (ResettingServer server = ResettingServer.midResponse(HTTP2_SETTINGS)) {
      assertFailsRetryablyAtOnce(server);
    }
  }

  @Test
  void failsRetryablyNamingTheResetWhenTheTokenEndpointResetsTheConnection() throws Exception {
    byte[] partialToken = "HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n{\"access_token\":"
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (ResettingServer tokens : new ResettingServer[] {ResettingServer.midRequest(),
        ResettingServer.midResponse(partialToken)}) {
      try (tokens; FakeCloudLogging server = FakeCloudLogging.tls(TestTls.get().serverCredentials(), token -> true)) {
        GcpLoggingDestinationConfig config = GcpLoggingDestinationConfig.builder()
            .googleProjectIdName(GcpTestSupport.PROJECT)
            .clientEmail(GcpTestSupport.CLIENT_EMAIL)
            .privateKey(KEYS.privateKeyPem())
            .endpoint("localhost:" + server.endpoint().split(":")[1])
            .tokenServerUri("http://127.0.0.1:" + tokens.port() + "/token")
            .build();

        DeliveryException e = failure(config);

        assertThat(e.isRetryable()).isTrue();
        assertThat(e).hasMessageContaining("answered UNAVAILABLE: could not get a token for service account "
                + GcpTestSupport.CLIENT_EMAIL + ": token endpoint 127.0.0.1:" + tokens.port())
            .message().containsAnyOf("reset the connection", "closed the connection before the end of its answer");
        assertThat(server.attempts()).isZero();
      }
    }
  }

  @Test
  void aDestinationWhoseEndpointResetsConnectionsDoesNotDelayAnother() throws Exception {
    Actor alice = Actor.of("alice");
    try (ResettingServer resetting = ResettingServer.midRequest();
        FakeCloudLogging healthy = FakeCloudLogging.plaintext();
        AuditStreamer streamer = AuditStreamer.builder()
            .accessPolicy((actor, group) -> actor.equals(alice) && group.equals("acme"))
            .allowLocalNetwork(true)
            .connectTimeout(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofSeconds(5))
            .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(20), Duration.ofMillis(40)).build())
            // The resetting destination still holds its events at the end: no need to wait for them.
            .closeTimeout(Duration.ofMillis(500))
            .sinkProviders(List.of())
            .addSinkProvider(new GcpLoggingSinkProvider())
            .build()) {
      Destination reset = streamer.destinations().create(alice, "acme",
          DestinationDraft.builder(plaintextAt(resetting.port())).name("resetting").build());
      streamer.destinations().create(alice, "acme", DestinationDraft.builder(GcpTestSupport.plaintextConfig(healthy)
          .logIdName("healthy").build()).name("healthy").build());
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        streamer.stream(AuditEvent.builder().eventType("group_created").author(1L, "Alice")
            .entity(EntityType.GROUP, 5L, "acme").build());
      }

      healthy.awaitEntries(5, Duration.ofSeconds(5));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      Await.until(Duration.ofSeconds(5), () -> streamer.destinations().status(alice, reset.id()).lastError().isPresent(),
          "the resetting destination's last error");
      assertThat(streamer.destinations().status(alice, reset.id()).lastError()).hasValueSatisfying(e ->
          assertThat(e).contains("at 127.0.0.1:" + resetting.port() + ") answered UNAVAILABLE"));
    }
  }
}
