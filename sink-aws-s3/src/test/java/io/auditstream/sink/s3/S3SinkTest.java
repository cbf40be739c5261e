package io.auditstream.sink.s3;

import static io.auditstream.sink.s3.TestEvents.config;
import static io.auditstream.sink.s3.TestEvents.encoded;
import static io.auditstream.sink.s3.TestEvents.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink on its own against a real S3 API on loopback. */
class S3SinkTest {
  private static LocalS3Server server;
  private final S3SinkProvider provider = new S3SinkProvider();

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalS3Server.start();
    server.createBucket("sink-test");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private Sink sink(S3DestinationConfig config, SinkContext context) {
    return provider.create(destination(config), context);
  }

  private static DeliveryException failure(Sink sink, AuditEvent event) {
    try {
      sink.deliver(List.of(encoded(event)));
    } catch (DeliveryException e) {
      return e;
    }
    throw new AssertionError("delivery succeeded");
  }

  @Test
  void writesOneJsonObjectPerEventUnderItsKey() throws Exception {
    AuditEvent event = event("project_created", EntityType.PROJECT, "acme/platform/api",
        Instant.parse("2026-07-08T09:10:11.012Z"));

    try (Sink sink = sink(config(server, "sink-test").build(), loopbackContext())) {
      sink.deliver(List.of(encoded(event)));
    }

    String key = "project/2026/07/project_created_" + event.id() + "_" + event.createdAt().toEpochMilli() + ".json";
    assertThat(server.objects("sink-test")).hasEntrySatisfying(key, o -> {
      assertThat(o.body()).isEqualTo(encoded(event).jsonString());
      assertThat(o.contentType()).isEqualTo("application/json");
    });
  }

  @Test
  void writesTheSameKeyAgainWhenAnEventIsDeliveredTwice() throws Exception {
    AuditEvent event = event("member_created", EntityType.GROUP, "acme", Instant.parse("2026-07-09T00:00:00Z"));

    try (Sink sink = sink(config(server, "sink-test").build(), loopbackContext())) {
      sink.deliver(List.of(encoded(event)));
      sink.deliver(List.of(encoded(event)));
    }

    assertThat(server.keys("sink-test")).filteredOn(k -> k.contains(event.id())).hasSize(1);
  }

  @Test
  void aWrongSecretIsAPermanentFailureNamingTheBucketAndStatusButNoSecret() {
    String wrongSecret = "not-the-right-secret-key-0123456789abcdef";
    S3DestinationConfig config = config(server, "sink-test").secretAccessKey(wrongSecret).build();

    DeliveryException e;
    try (Sink sink = sink(config, loopbackContext())) {
      e = failure(sink, event("group_created", EntityType.GROUP, "acme", Instant.now()));
    }

    assertThat(e.isRetryable()).as(e.getMessage()).isFalse();
    assertThat(e.getMessage()).contains("sink-test").contains("403").contains("AKIA****")
        .doesNotContain(wrongSecret).doesNotContain(LocalS3Server.ACCESS_KEY_ID);
    assertThat(e.getCause()).isNull();
  }

  @Test
  void aMissingBucketIsAPermanentFailure() {
    DeliveryException e;
    try (Sink sink = sink(config(server, "no-such-bucket").build(), loopbackContext())) {
      e = failure(sink, event("group_created", EntityType.GROUP, "acme", Instant.now()));
    }

    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("no-such-bucket").contains("404").contains("NoSuchBucket")
        .doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
  }

  @Test
  void anUnreachableEndpointIsARetryableFailure() throws Exception {
    // A port that was free a moment ago: nothing listens there.
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    S3DestinationConfig config = config(server, "sink-test").endpoint("http://127.0.0.1:" + freePort).build();

    DeliveryException e;
    try (Sink sink = sink(config, loopbackContext())) {
      e = failure(sink, event("group_created", EntityType.GROUP, "acme", Instant.now()));
    }

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("sink-test").contains("127.0.0.1:" + freePort)
        .doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
  }

  @Test
  void refusesALoopbackEndpointBeforeEveryRequestUnlessLocalNetworkIsAllowed() {
    int before = server.keys("sink-test").size();

    DeliveryException e;
    try (Sink sink = sink(config(server, "sink-test").build(), SinkContext.defaults())) {
      e = failure(sink, event("group_created", EntityType.GROUP, "acme", Instant.now()));
    }

    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("127.0.0.1").contains("allowLocalNetwork");
    assertThat(server.keys("sink-test")).hasSize(before);
  }

  @Test
  void aClosedSinkWritesNothingAndCloseIsIdempotent() {
    Sink sink = sink(config(server, "sink-test").build(), loopbackContext());
    sink.close();
    sink.close();

    DeliveryException e = failure(sink, event("group_created", EntityType.GROUP, "acme", Instant.now()));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("closed");
    assertThat(sink.toString()).contains("closed=true").doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
  }

  @Test
  void takesOneEventPerBatch() {
    try (Sink sink = sink(config(server, "sink-test").build(), loopbackContext())) {
      assertThat(sink.maxBatchSize()).isEqualTo(1);
    }
  }

  @Test
  void bringsNoNettyOntoTheClasspath() {
    for (String absent : new String[] {"software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient",
        "io.netty.channel.Channel", "software.amazon.awssdk.http.apache.ApacheHttpClient"}) {
      assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
    }
  }
}
