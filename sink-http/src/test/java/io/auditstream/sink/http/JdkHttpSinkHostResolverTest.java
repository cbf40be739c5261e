package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpSinkHostResolverBehaviour} on the JDK's client, which resolves names itself: the sink
 * checks the name before every request, and the client then connects wherever the JVM resolves it.
 */
class JdkHttpSinkHostResolverTest extends HttpSinkHostResolverBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }

  /** One: the check before the request is a DNS lookup: blocking work. */
  @Override
  int blockingTasksPerCheckedDelivery() {
    return 1;
  }

  @Test
  void sendsWhenTheResolverSaysTheHostIsPublicAndRefusesOnceItSaysOtherwise() throws Exception {
    // The resolver is what the check goes by: "localhost" passes as long as it says 203.0.113.10,
    // and the JDK's client then connects to where the JVM resolves it, the receiver on loopback.
    resolver.map("localhost", "203.0.113.10");

    try (Sink sink = sink(
        HttpDestinationConfig.of("http://localhost:" + server.getPort() + "/audit"), strict(resolver))) {
      sink.deliver(List.of(TestEvents.event("user_created")));
      resolver.map("localhost", "169.254.169.254");
      DeliveryException e = failure(sink);

      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasMessageContaining("169.254.169.254, a cloud metadata service address");
    }
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void knownGapTheClientResolvesTheNameAgainSoARebindingAnswerIsNotWhatItConnectsBy() throws Exception {
    // Documents the DNS rebinding gap of the JDK's client, which the library warns about once and the
    // README's "Network protection" names: the check asks the resolver, the client asks the JVM. If this
    // test fails, the client has started to connect only to the checked addresses: update the warning,
    // the README and this test.
    resolver.mapSwitching("localhost", 1, List.of("203.0.113.10"), List.of("127.0.0.1"));

    try (Sink sink = sink(
        HttpDestinationConfig.of("http://localhost:" + server.getPort() + "/audit"), strict(resolver))) {
      sink.deliver(List.of(TestEvents.event("user_created")));
    }
    // One lookup, the check's; the client connected to loopback through the JVM's own resolver.
    assertThat(resolver.lookups()).isEqualTo(1);
    assertThat(server.getAllServeEvents()).hasSize(1);
  }
}
