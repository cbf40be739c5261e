package io.auditstream.sink.gcp;

import static io.auditstream.sink.gcp.GcpTestSupport.event;
import static io.auditstream.sink.gcp.GcpTestSupport.plaintextConfig;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.TestHostResolver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint and token server checks, when saving and before each delivery and token request,
 * with a resolver the test controls. No DNS server is asked.
 */
class GcpLoggingHostResolverTest {
  private static final ServiceAccountKeys KEYS = ServiceAccountKeys.generate();

  private final TestHostResolver names = TestHostResolver.create()
      .map("logging.internal.example", "10.1.2.3")
      .map("oauth.internal.example", "10.1.2.4")
      .map("logging.storage.example", "203.0.113.20")
      .map("oauth.storage.example", "203.0.113.21");
  private FakeCloudLogging server;

  @BeforeEach
  void start() throws IOException {
    server = FakeCloudLogging.plaintext();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private static SinkContext strict(HostResolver resolver) {
    // The local servers here speak plain HTTP; the rule on http:// has tests of its own.
    return loopbackContext().toBuilder().allowLocalNetwork(false).allowPlainHttp(true).hostResolver(resolver).build();
  }

  /** A TLS config with a key, aimed at {@code endpoint}. */
  private static GcpLoggingDestinationConfig.Builder config(String endpoint) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(GcpTestSupport.PROJECT)
        .clientEmail(GcpTestSupport.CLIENT_EMAIL)
        .privateKey(KEYS.privateKeyPem())
        .endpoint(endpoint);
  }

  private static DeliveryException failure(GcpLoggingDestinationConfig config, SinkContext context) {
    try (GcpLoggingSink sink = (GcpLoggingSink) new GcpLoggingSinkProvider().create(destination(config), context)) {
      sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
      throw new AssertionError("delivery succeeded");
    } catch (DeliveryException e) {
      return e;
    }
  }

  @Test
  void refusesAnEndpointResolvingToAPrivateAddressPermanentlyBeforeConnecting() {
    // "localhost" does reach the server on loopback: only the check stands in the way.
    names.map("localhost", "10.1.2.3");
    String port = server.endpoint().split(":")[1];

    for (String host : new String[] {"logging.internal.example", "localhost"}) {
      DeliveryException e = failure(config(host + ":" + port).build(), strict(names));

      assertThat(e.isRetryable()).as(host).isFalse();
      assertThat(e).hasMessageContaining("destination host " + host + " resolves to 10.1.2.3")
          .hasMessageContaining("allowLocalNetwork")
          .hasMessageNotContaining(KEYS.privateKeyBody());
    }
    assertThat(server.attempts()).isZero();
  }

  @Test
  void refusesATokenServerResolvingToAPrivateAddressPermanentlyBeforeConnecting() {
    GcpLoggingDestinationConfig config = config("logging.storage.example:443")
        .tokenServerUri("https://oauth.internal.example/token").build();

    DeliveryException e = failure(config, strict(names));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("destination host oauth.internal.example resolves to 10.1.2.4")
        .hasMessageContaining("allowLocalNetwork");
  }

  @Test
  void failsRetryablyForAnEndpointThatDoesNotResolve() {
    DeliveryException e = failure(config("nowhere.internal.example:443").build(), strict(names));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage("could not resolve destination host nowhere.internal.example");
  }

  @Test
  void boundsALookupThatNeverAnswersByTheConnectTimeout() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    SinkContext context = strict(TestHostResolver.blockingUntilInterrupted(interrupted)).toBuilder()
        .connectTimeout(Duration.ofMillis(200)).build();

    long start = System.nanoTime();
    DeliveryException e = failure(config("logging.storage.example:443").build(), context);

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessageContaining("within 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theTokenTransportChecksItsHostWithTheContextsResolverBeforeEveryRequest() throws Exception {
    try (FakeTokenEndpoint tokens = FakeTokenEndpoint.start(KEYS.publicKey(), GcpTestSupport.CLIENT_EMAIL,
        LoggingClientFactory.SCOPE)) {
      // "localhost" does reach the token endpoint on loopback: only the check stands in the way.
      names.map("localhost", "10.1.2.4");
      String url = "http://localhost:" + tokens.uri().getPort() + "/token";
      TokenHttpTransport transport = new TokenHttpTransport(strict(names));

      assertThatThrownBy(() -> transport.buildRequest("POST", url).execute())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("destination host localhost resolves to 10.1.2.4")
          .hasMessageContaining("allowLocalNetwork");
      assertThatThrownBy(() -> transport.buildRequest("POST", "https://nowhere.internal.example/token").execute())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("could not resolve destination host nowhere.internal.example");
      assertThat(tokens.acceptedClaims()).isEmpty();
      assertThat(tokens.refusals()).isEmpty();
    }
  }

  @Test
  void refusesWhenSavedEveryHostThatResolvesToAPrivateAddressAtOnce() {
    GcpLoggingDestinationConfig config = config("logging.internal.example:443")
        .tokenServerUri("https://oauth.internal.example/token?key=k3y-9d1").build();

    assertThatThrownBy(() -> new GcpLoggingSinkProvider().validate(config, strict(names)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("endpoint", "tokenServerUri"))
        .hasMessageContaining("endpoint refused: destination host logging.internal.example resolves to 10.1.2.3")
        .hasMessageContaining("tokenServerUri refused: destination host oauth.internal.example resolves to 10.1.2.4")
        .hasMessageContaining("allowLocalNetwork(true)")
        .hasMessageNotContaining("k3y-9d1");
  }

  @Test
  void acceptsWhenSavedPublicHostsAndHostsThatDoNotResolveNow() {
    GcpLoggingSinkProvider provider = new GcpLoggingSinkProvider();

    assertThatCode(() -> provider.validate(config("logging.storage.example:443")
        .tokenServerUri("https://oauth.storage.example/token").build(), strict(names))).doesNotThrowAnyException();
    assertThatCode(() -> provider.validate(config("nowhere.internal.example:443")
        .tokenServerUri("https://nowhere.internal.example/token").build(), strict(names))).doesNotThrowAnyException();
    assertThat(names.lookups()).isEqualTo(4);
  }

  @Test
  void acceptsEveryHostWhenSavedWhileLocalNetworkIsAllowedWithoutLookingItUp() {
    SinkContext permissive = strict(names).toBuilder().allowLocalNetwork(true).build();

    assertThatCode(() -> new GcpLoggingSinkProvider().validate(config("logging.internal.example:443")
        .tokenServerUri("https://oauth.internal.example/token").build(), permissive)).doesNotThrowAnyException();
    assertThatCode(() -> new GcpLoggingSinkProvider().validate(plaintextConfig(server).build(), permissive))
        .doesNotThrowAnyException();
    assertThat(names.lookups()).isZero();
  }
}
