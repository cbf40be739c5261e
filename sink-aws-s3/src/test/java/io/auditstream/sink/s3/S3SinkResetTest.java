package io.auditstream.sink.s3;

import static io.auditstream.sink.s3.TestEvents.encoded;
import static io.auditstream.sink.s3.TestEvents.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.EntityType;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.ResettingServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An S3 endpoint that resets the connection (a TCP RST), while the object is sent or after it began
 * to answer, gives a retryable failure at once, whose message names the bucket and what happened.
 */
class S3SinkResetTest {
  private static final SinkContext CONTEXT = loopbackContext().toBuilder().allowPlainHttp(true)
      .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();

  private static DeliveryException failure(int port) {
    S3DestinationConfig config = S3DestinationConfig.builder()
        .accessKeyXid(LocalS3Server.ACCESS_KEY_ID)
        .secretAccessKey(LocalS3Server.SECRET_ACCESS_KEY)
        .bucketName("reset-test")
        .awsRegion("us-east-1")
        .endpoint("http://127.0.0.1:" + port)
        .pathStyleAccess(true)
        .build();
    try (Sink sink = new S3SinkProvider().create(destination(config), CONTEXT)) {
      sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
    } catch (DeliveryException e) {
      return e;
    }
    throw new AssertionError("delivery succeeded");
  }

  @Test
  void failsRetryablyAtOnceWhenTheEndpointResetsTheConnectionWhileTheObjectIsSent() throws Exception {
    try (ResettingServer endpoint = ResettingServer.midRequest()) {
      long start = System.nanoTime();
      DeliveryException e = failure(endpoint.port());

      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage()).contains("reset-test").doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(endpoint.connections()).isPositive();
    }
  }

  @Test
  void failsRetryablyAtOnceWhenTheEndpointResetsTheConnectionInTheMiddleOfItsAnswer() throws Exception {
    // Cut inside the headers: once a PutObject's headers say 200, S3 has stored the object and the
    // client rightly reads no further, so a reset after them is a success.
    byte[] partial = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nETag: \"x".getBytes(StandardCharsets.US_ASCII);
    try (ResettingServer endpoint = ResettingServer.midResponse(partial)) {
      long start = System.nanoTime();
      DeliveryException e = failure(endpoint.port());

      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage()).contains("reset-test").doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(endpoint.connections()).isPositive();
    }
  }
}
