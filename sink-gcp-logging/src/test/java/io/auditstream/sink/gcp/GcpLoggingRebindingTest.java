package io.auditstream.sink.gcp;

import static io.auditstream.sink.gcp.GcpTestSupport.event;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.EntityType;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.TestHostResolver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC channel of a Cloud Logging destination connects only to addresses that passed the network
 * policy, looked up with the context's resolver when it connects: a name whose answer changes after
 * the check before the delivery (DNS rebinding) never leads the channel to the address that was not
 * checked. The TLS server listens on loopback, where the JVM's own resolver sends "localhost": the
 * server must see no connection at all.
 */
class GcpLoggingRebindingTest {
  private static final ServiceAccountKeys KEYS = ServiceAccountKeys.generate();

  private final TestHostResolver names = TestHostResolver.create().map("oauth.storage.example", "203.0.113.21");
  private FakeCloudLogging server;

  @BeforeEach
  void start() throws Exception {
    server = FakeCloudLogging.tls(TestTls.get().serverCredentials(), token -> true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SinkContext strict() {
    return loopbackContext().toBuilder().allowLocalNetwork(false).hostResolver(names)
        .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(3)).build();
  }

  private GcpLoggingDestinationConfig.Builder configWithoutTokenServer() {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(GcpTestSupport.PROJECT)
        .clientEmail(GcpTestSupport.CLIENT_EMAIL)
        .privateKey(KEYS.privateKeyPem())
        .endpoint("localhost:" + server.endpoint().split(":")[1]);
  }

  private GcpLoggingDestinationConfig config() {
    return configWithoutTokenServer().tokenServerUri("https://oauth.storage.example/token").build();
  }

  private DeliveryException failure(SinkContext context) {
    try (GcpLoggingSink sink = new GcpLoggingSink(config(), context,
        new LoggingClientFactory(TestTls.get().channelCredentials()))) {
      sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
      throw new AssertionError("delivery succeeded");
    } catch (DeliveryException e) {
      return e;
    }
  }

  @Test
  void refusesPermanentlyWhenTheEndpointResolvesToLoopbackOnceTheCheckBeforeTheDeliveryPassed() {
    // The check before the delivery sees a public address; the lookup for the connection, loopback.
    names.mapSwitching("localhost", 1, List.of("203.0.113.20"), List.of("127.0.0.1"));

    DeliveryException e = failure(strict());

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("destination host localhost resolves to 127.0.0.1")
        .hasMessageContaining("allowLocalNetwork(true)");
    assertThat(names.lookups()).isGreaterThanOrEqualTo(3);
    assertThat(server.connections()).isZero();
    assertThat(server.attempts()).isZero();
  }

  @Test
  void connectsToTheCheckedAddressNotWhereTheJvmResolvesTheName() {
    // "localhost" is the server on loopback for the JVM; the resolver says a public address where
    // nothing listens. The channel must try that address, and fail, rather than reach the server.
    names.map("localhost", "203.0.113.20");

    DeliveryException e = failure(strict());

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessageContaining("UNAVAILABLE");
    assertThat(server.connections()).isZero();
    assertThat(server.attempts()).isZero();
  }

  @Test
  void looksTheEndpointUpAgainForTheNextConnectionAfterOneFailed() throws Exception {
    names.map("localhost", "203.0.113.20");

    // Without a token server, so that every lookup is one of the endpoint.
    try (GcpLoggingSink sink = new GcpLoggingSink(configWithoutTokenServer().build(), strict(),
        new LoggingClientFactory(TestTls.get().channelCredentials()))) {
      for (int i = 0; i < 2; i++) {
        try {
          sink.deliver(List.of(event("evt-" + i, "group_created", EntityType.GROUP, "acme")));
        } catch (DeliveryException expected) {
          assertThat(expected.isRetryable()).isTrue();
        }
      }
      // Per delivery: the check before it, and the channel's own lookup for its new connection.
      assertThat(names.lookups()).isGreaterThanOrEqualTo(4);
    }
    assertThat(server.connections()).isZero();
  }

  @Test
  void connectsThroughTheJvmsNameLookupWhenLocalNetworkIsAllowed() throws Exception {
    // The control: with the policy off, the same set-up does reach the server, so the two tests above
    // would see a connection if the channel resolved the name by itself.
    names.map("localhost", "203.0.113.20");
    SinkContext permissive = strict().toBuilder().allowLocalNetwork(true).build();

    failure(permissive);

    assertThat(server.connections()).isEqualTo(1);
  }
}
