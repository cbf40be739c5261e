package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpSinkHostResolverBehaviour} on Apache HttpClient 5, whose connections go to the addresses
 * the context's resolver returned and the policy checked, never to where the JVM would resolve the
 * name.
 */
class ApacheHttpSinkHostResolverTest extends HttpSinkHostResolverBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }

  /** None: the check happens when the client opens the connection, inside the transport. */
  @Override
  int blockingTasksPerCheckedDelivery() {
    return 0;
  }

  @Test
  void connectsToTheAddressThatPassedTheCheckNotWhereTheJvmResolvesTheName() {
    // "localhost" is the receiver on loopback for the JVM; the resolver says a public address where
    // nothing listens. The check passes, and the connection must go there, not to the receiver.
    resolver.map("localhost", "203.0.113.10");
    SinkContext context = strict(resolver).toBuilder()
        .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(2)).build();

    try (Sink sink = sink(HttpDestinationConfig.of("http://localhost:" + server.getPort() + "/audit"), context)) {
      DeliveryException e = failure(sink);

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageContaining("localhost:" + server.getPort());
    }
    assertThat(resolver.lookups()).isEqualTo(1);
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void refusesOnTheConnectionWhatTheNameResolvesToThen() {
    resolver.map("audit.receiver.example", "203.0.113.10", "169.254.169.254");

    try (Sink sink = sink(HttpDestinationConfig.of("http://audit.receiver.example:" + server.getPort() + "/audit"),
        strict(resolver))) {
      DeliveryException e = failure(sink);

      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasMessageContaining("destination host audit.receiver.example resolves to 169.254.169.254,"
          + " a cloud metadata service address").hasMessageContaining("allowLocalNetwork(true)");
    }
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void connectsWhereTheResolverSaysWhenLocalNetworkIsAllowed() throws Exception {
    // A name no DNS knows: only the context's resolver can lead the connection to the receiver.
    resolver.map("audit.receiver.example", "127.0.0.1");
    SinkContext permissive = strict(resolver).toBuilder().allowLocalNetwork(true).build();

    try (Sink sink = sink(HttpDestinationConfig.of("http://audit.receiver.example:" + server.getPort() + "/audit"),
        permissive)) {
      sink.deliver(List.of(TestEvents.event("user_created")));
    }
    assertThat(server.getAllServeEvents()).singleElement()
        .satisfies(e -> assertThat(e.getRequest().getHeader("Host")).isEqualTo("audit.receiver.example:" + server.getPort()));
  }

  @Test
  void neverConnectsToAnAddressThatWasNotCheckedWhenTheNameRebinds() {
    // The first connection's lookup answers a public address where nothing listens; every later one
    // answers loopback, where the receiver listens. Each connection goes only where its own lookup
    // passed the check.
    resolver.mapSwitching("localhost", 1, List.of("203.0.113.10"), List.of("127.0.0.1"));
    SinkContext context = strict(resolver).toBuilder()
        .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(2)).build();

    try (Sink sink = sink(HttpDestinationConfig.of("http://localhost:" + server.getPort() + "/audit"), context)) {
      DeliveryException first = failure(sink);
      DeliveryException second = failure(sink);

      assertThat(first.isRetryable()).isTrue();
      assertThat(second.isRetryable()).isFalse();
      assertThat(second).hasMessageContaining("destination host localhost resolves to 127.0.0.1, a loopback address");
    }
    assertThat(resolver.lookups()).isEqualTo(2);
    assertThat(server.getAllServeEvents()).isEmpty();
  }
}
