package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.ResettingServer;
import io.auditstream.testing.SinkTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receiver that resets the connection (a TCP RST), while the request is sent or after it began to
 * answer, gives a retryable failure at once, whose message names the destination, on every transport.
 */
abstract class HttpSinkResetBehaviour extends TransportUnderTest {
  private static final SinkContext CONTEXT = SinkTestKit.loopbackContext().toBuilder()
      .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();

  private DeliveryException failure(int port) {
    DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> {
      try (Sink sink = sink(HttpDestinationConfig.of("http://127.0.0.1:" + port + "/audit"), CONTEXT)) {
        // A body of some size, so that the reset can come while it is still being written.
        sink.deliver(List.of(TestEvents.event("user_created"), TestEvents.event("user_created"),
            TestEvents.event("user_created")));
      }
    });
    assertThat(e).as("delivery should have failed").isNotNull();
    return e;
  }

  @Test
  void failsRetryablyAtOnceWhenTheReceiverResetsTheConnectionWhileTheRequestIsSent() throws Exception {
    try (ResettingServer receiver = ResettingServer.midRequest()) {
      long start = System.nanoTime();
      DeliveryException e = failure(receiver.port());

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageContaining("destination host 127.0.0.1:" + receiver.port());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(receiver.connections()).isPositive();
    }
  }

  @Test
  void failsRetryablyAtOnceWhenTheReceiverResetsTheConnectionInTheMiddleOfItsAnswer() throws Exception {
    byte[] partial = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"ok\":".getBytes(StandardCharsets.US_ASCII);
    try (ResettingServer receiver = ResettingServer.midResponse(partial)) {
      long start = System.nanoTime();
      DeliveryException e = failure(receiver.port());

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageContaining("destination host 127.0.0.1:" + receiver.port());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(receiver.connections()).isPositive();
    }
  }
}
