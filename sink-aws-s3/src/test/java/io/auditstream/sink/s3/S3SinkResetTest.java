package io.auditstream.sink.s3;

import static io.auditstream.sink.s3.TestEvents.encoded;
import static io.auditstream.sink.s3.TestEvents.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
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

  private static S3DestinationConfig resettingConfig(int port) {
    return S3DestinationConfig.builder()
        .accessKeyXid(LocalS3Server.ACCESS_KEY_ID)
        .secretAccessKey(LocalS3Server.SECRET_ACCESS_KEY)
        .bucketName("reset-test")
        .awsRegion("us-east-1")
        .endpoint("http://127.0.0.1:" + port)
        .pathStyleAccess(true)
        .build();
  }

  private static DeliveryException failure(int port) {
    try (Sink sink = new S3SinkProvider().create(destination(resettingConfig(port)), CONTEXT)) {
      sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
    } catch (DeliveryException e) {
      return e;
    }
    throw new AssertionError("delivery succeeded");
  }

  /** A delivery to {@code endpoint} fails retryably within seconds, naming the bucket and no secret. */
  private void assertFailsRetryablyAtOnce(ResettingServer endpoint) {
      long start = System.nanoTime();
      DeliveryException e = failure(endpoint.port());

      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage()).contains("reset-test").doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(endpoint.connections()).isPositive();
  }

  @Test
  void failsRetryablyAtOnceWhenTheEndpointResetsTheConnectionWhileTheObjectIsSent() throws Exception {
    try (ResettingServer endpoint = ResettingServer.midRequest()) {
      assertFailsRetryablyAtOnce(endpoint);
    }
  }

  @Test
  void failsRetryablyAtOnceWhenTheEndpointResetsTheConnectionInTheMiddleOfItsAnswer() throws Exception {
    // Cut inside the headers: once a PutObject's headers say 200, S3 has stored the object and the
    // client rightly reads no further, so a reset after them is a success.
    byte[] partial = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nETag: \"x".getBytes(StandardCharsets.US_ASCII);
    try (ResettingServer endpoint = ResettingServer.midResponse(partial)) {
      assertFailsRetryablyAtOnce(endpoint);
    }
  }

  @Test
  void aDestinationWhoseEndpointResetsConnectionsDoesNotDelayAnother() throws Exception {
    Actor alice = Actor.of("alice");
    LocalS3Server healthy = LocalS3Server.start();
    try (ResettingServer resetting = ResettingServer.midRequest();
        AuditStreamer streamer = AuditStreamer.builder()
            .accessPolicy((actor, group) -> actor.equals(alice) && group.equals("acme"))
            .allowLocalNetwork(true)
            .connectTimeout(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofSeconds(5))
            .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(20), Duration.ofMillis(40)).build())
            // The resetting destination still holds its events at the end: no need to wait for them.
            .closeTimeout(Duration.ofMillis(500))
            .build()) {
      healthy.createBucket("healthy");
      Destination reset = streamer.destinations().create(alice, "acme",
          DestinationDraft.builder(resettingConfig(resetting.port())).name("resetting").build());
      streamer.destinations().create(alice, "acme",
          DestinationDraft.builder(TestEvents.config(healthy, "healthy").build()).name("healthy").build());
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        streamer.stream(event("group_created", EntityType.GROUP, "acme", Instant.now()));
      }

      Await.until(Duration.ofSeconds(5), () -> healthy.keys("healthy").size() >= 5, "5 objects in the healthy bucket");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      Await.until(Duration.ofSeconds(5), () -> streamer.destinations().status(alice, reset.id()).lastError().isPresent(),
          "the resetting destination's last error");
      assertThat(streamer.destinations().status(alice, reset.id()).lastError()).hasValueSatisfying(e ->
          assertThat(e).contains("reset-test").doesNotContain(LocalS3Server.SECRET_ACCESS_KEY));
    } finally {
      healthy.close();
    }
  }
}
