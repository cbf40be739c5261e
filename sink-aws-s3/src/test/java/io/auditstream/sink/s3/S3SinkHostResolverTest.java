package io.auditstream.sink.s3;

import static io.auditstream.sink.s3.TestEvents.config;
import static io.auditstream.sink.s3.TestEvents.encoded;
import static io.auditstream.sink.s3.TestEvents.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.EntityType;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.TestHostResolver;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint check before each request with a resolver the test controls; the S3 API on loopback
 * shows that nothing is written. No DNS server is asked.
 */
class S3SinkHostResolverTest {
  private static LocalS3Server server;
  private final TestHostResolver names = TestHostResolver.create().map("minio.internal.example", "10.1.2.3");

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalS3Server.start();
    server.createBucket("resolver-test");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static SinkContext strict(HostResolver resolver) {
    // The local servers here speak plain HTTP; the rule on http:// has tests of its own.
    return loopbackContext().toBuilder().allowLocalNetwork(false).allowPlainHttp(true).hostResolver(resolver).build();
  }

  /** The server's endpoint with its host replaced by {@code host}. */
  private static S3DestinationConfig configAt(String host) {
    int port = URI.create(server.endpoint()).getPort();
    return config(server, "resolver-test").endpoint("http://" + host + ":" + port).build();
  }

  private static DeliveryException failure(S3DestinationConfig config, SinkContext context) {
    try (Sink sink = new S3SinkProvider().create(destination(config), context)) {
      sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
    } catch (DeliveryException e) {
      return e;
    }
    throw new AssertionError("delivery succeeded");
  }

  @Test
  void refusesAnEndpointResolvingToAPrivateAddressPermanentlyBeforeWritingAnything() {
    // "localhost" does reach the server on loopback: only the check stands in the way.
    names.map("localhost", "10.1.2.3");

    for (String host : new String[] {"minio.internal.example", "localhost"}) {
      DeliveryException e = failure(configAt(host), strict(names));

      assertThat(e.isRetryable()).as(host).isFalse();
      assertThat(e.getMessage()).contains("destination host " + host + " resolves to 10.1.2.3")
          .contains("allowLocalNetwork").doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
    }
    assertThat(server.keys("resolver-test")).isEmpty();
  }

  @Test
  void failsRetryablyForAnEndpointThatDoesNotResolve() {
    DeliveryException e = failure(configAt("nowhere.internal.example"), strict(names));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("could not resolve destination host nowhere.internal.example");
    assertThat(server.keys("resolver-test")).isEmpty();
  }

  @Test
  void boundsALookupThatNeverAnswersByTheConnectTimeout() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    SinkContext context = strict(TestHostResolver.blockingUntilInterrupted(interrupted)).toBuilder()
        .connectTimeout(Duration.ofMillis(200)).build();

    long start = System.nanoTime();
    DeliveryException e = failure(configAt("minio.internal.example"), context);

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("within 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusesPermanentlyWhenTheEndpointResolvesToLoopbackOnceTheCheckBeforeTheRequestPassed() {
    // The check before the request sees a public address; the lookup for the connection, loopback,
    // where the server listens.
    names.mapSwitching("localhost", 1, List.of("203.0.113.10"), List.of("127.0.0.1"));

    DeliveryException e = failure(configAt("localhost"), strict(names));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("destination host localhost resolves to 127.0.0.1, a loopback address")
        .contains("allowLocalNetwork(true)");
    assertThat(names.lookups()).isGreaterThanOrEqualTo(2);
    assertThat(server.keys("resolver-test")).isEmpty();
  }

  @Test
  void connectsToTheCheckedAddressNotWhereTheJvmResolvesTheName() {
    // "localhost" is the server on loopback for the JVM; the resolver says a public address where
    // nothing listens. The client must try that address, and fail, rather than write to the server.
    names.map("localhost", "203.0.113.10");
    SinkContext context = strict(names).toBuilder()
        .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(3)).build();

    DeliveryException e = failure(configAt("localhost"), context);

    assertThat(e.isRetryable()).isTrue();
    assertThat(server.keys("resolver-test")).isEmpty();
  }
}
