package io.auditstream.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine and the S3 sink together, against a real S3 API (S3Proxy) on loopback. */
class S3StreamingEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private LocalS3Server server;
  private AuditStreamer streamer;
  private final AtomicInteger attempts = new AtomicInteger();
  /** Whether each sink the counting streamer made is closed, oldest first. */
  private final List<AtomicBoolean> sinksClosed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = LocalS3Server.start();
    server.createBucket("acme-audit");
  }

  @AfterEach
  void stop() throws Exception {
    if (streamer != null) {
      streamer.close();
    }
    server.close();
  }

  /** A streamer that finds the S3 sink through ServiceLoader, as a host's would. */
  private AuditStreamer discovering() {
    return builder().build();
  }

  /** A streamer whose S3 sinks count their delivery attempts. */
  private AuditStreamer counting() {
    return builder().addSinkProvider(new CountingProvider(new S3SinkProvider(), attempts, sinksClosed)).build();
  }

  private static AuditStreamer.Builder builder() {
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .allowLocalNetwork(true)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
            Duration.ofMillis(160), Duration.ofMillis(200)).build());
  }

  private Destination create(S3DestinationConfig config) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(config).name("audit bucket").build());
  }

  private static AuditEvent event(String type, EntityType entityType, String path) {
    return AuditEvent.builder().eventType(type).author(1L, "Alice").entity(entityType, 5L, path)
        .ipAddress("203.0.113.7").customMessage("about " + path).build();
  }

  private DestinationStatus status(Destination d) {
    return streamer.destinations().status(ALICE, d.id());
  }

  @Test
  void writesGroupSubgroupAndProjectEventsAsJsonObjectsUnderTheirKeys() throws Exception {
    streamer = discovering();
    Destination d = create(TestEvents.config(server, "acme-audit").build());
    List<AuditEvent> events = List.of(
        event("group_created", EntityType.GROUP, "acme"),
        event("member_created", EntityType.GROUP, "acme/platform"),
        event("project_created", EntityType.PROJECT, "acme/platform/api"),
        event("project_created", EntityType.PROJECT, "other-group/api"));
    events.forEach(streamer::stream);

    assertThat(streamer.flush(WAIT)).isTrue();
    Map<String, LocalS3Server.StoredObject> objects = server.objects("acme-audit");
    assertThat(objects).hasSize(3);
    for (AuditEvent e : events.subList(0, 3)) {
      String key = S3ObjectKeys.keyOf(e);
      assertThat(key).startsWith(e.entityType() == EntityType.GROUP ? "group/" : "project/");
      assertThat(objects).containsKey(key);
      LocalS3Server.StoredObject o = objects.get(key);
      assertThat(o.contentType()).isEqualTo("application/json");
      JsonNode body = JSON.readTree(o.body());
      assertThat(body.get("id").asText()).isEqualTo(e.id());
      assertThat(body.get("event_type").asText()).isEqualTo(e.eventType());
      assertThat(body.get("entity_path").asText()).isEqualTo(e.entityPath());
      assertThat(body.get("entity_type").asText()).isEqualTo(e.entityType().jsonName());
      assertThat(Instant.parse(body.get("created_at").asText()).toEpochMilli()).isEqualTo(e.createdAt().toEpochMilli());
      assertThat(body.get("details").get("custom_message").asText()).isEqualTo("about " + e.entityPath());
    }
    assertThat(status(d).delivered()).isEqualTo(3);
    assertThat(status(d).failed()).isZero();
  }

  @Test
  void aWrongSecretFailsPermanentlyOnTheStatusWithoutRetryOrLeakingTheSecret() throws Exception {
    String wrongSecret = "wrong-secret-never-logged-0123456789";
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    Destination d;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      streamer = counting();
      d = create(TestEvents.config(server, "acme-audit").secretAccessKey(wrongSecret).build());
      assertThat(d.toString()).doesNotContain(wrongSecret);
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      assertThat(streamer.flush(WAIT)).isTrue();
    } finally {
      System.setErr(originalErr);
    }

    DestinationStatus status = status(d);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.delivered()).isZero();
    assertThat(attempts).hasValue(1);
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e)
        .contains("acme-audit").contains("403").doesNotContain(wrongSecret).doesNotContain(LocalS3Server.ACCESS_KEY_ID));
    assertThat(server.keys("acme-audit")).isEmpty();
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the failure is logged by the time flush returns").contains("gave up on 1 event(s)");
    assertThat(log).doesNotContain(wrongSecret).doesNotContain(LocalS3Server.SECRET_ACCESS_KEY);
    assertThat(streamer.destinations().list(ALICE, "acme").toString()).doesNotContain(wrongSecret);
  }

  @Test
  void aMissingBucketFailsPermanently() {
    streamer = counting();
    Destination d = create(TestEvents.config(server, "missing-bucket").build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));

    assertThat(streamer.flush(WAIT)).isTrue();
    DestinationStatus status = status(d);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(attempts).hasValue(1);
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("missing-bucket").contains("NoSuchBucket"));
  }

  @Test
  void retriesWhileTheServerIsDownAndLosesNothingOnceItIsBack() throws Exception {
    streamer = counting();
    Destination d = create(TestEvents.config(server, "acme-audit").build());
    server.stop();
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AuditEvent e = event("project_created", EntityType.PROJECT, "acme/platform/app-" + i);
      events.add(e);
      streamer.stream(e);
    }

    Await.until(WAIT, () -> attempts.get() >= 3, "3 attempts while the server is down");
    assertThat(attempts.get()).as("attempts while the server is down").isGreaterThanOrEqualTo(3);
    assertThat(status(d).consecutiveFailures()).isPositive();
    server.restart();

    assertThat(streamer.flush(WAIT)).isTrue();
    List<String> keys = server.keys("acme-audit");
    assertThat(keys).containsExactlyInAnyOrderElementsOf(events.stream().map(S3ObjectKeys::keyOf).toList());
    assertThat(status(d).delivered()).isEqualTo(5);
    assertThat(status(d).failed()).isZero();
  }

  @Test
  void anUpdateWithoutTheSecretKeepsItAndMovesTheStreamToTheNewBucket() throws Exception {
    streamer = discovering();
    server.createBucket("acme-audit-2");
    Destination d = create(TestEvents.config(server, "acme-audit").build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    S3DestinationConfig listed = (S3DestinationConfig) streamer.destinations().get(ALICE, d.id()).config();
    assertThat(listed.secretAccessKey().value()).isEmpty();
    assertThat(listed.hasSecretAccessKey()).isTrue();
    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder()
        .config(listed.toBuilder().bucketName("acme-audit-2").build()).build());
    AuditEvent moved = event("member_created", EntityType.GROUP, "acme/platform");
    streamer.stream(moved);
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(server.keys("acme-audit")).hasSize(1);
    assertThat(server.keys("acme-audit-2")).containsExactly(S3ObjectKeys.keyOf(moved));
    assertThat(status(d).delivered()).isEqualTo(2);
  }

  @Test
  void closesTheClientWhenTheDestinationChangesIsDeletedOrTheStreamerCloses() throws Exception {
    streamer = counting();
    server.createBucket("acme-audit-2");
    Destination d = create(TestEvents.config(server, "acme-audit").build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinksClosed).hasSize(1);
    assertThat(sinksClosed.get(0)).isFalse();

    S3DestinationConfig listed = (S3DestinationConfig) streamer.destinations().get(ALICE, d.id()).config();
    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder()
        .config(listed.toBuilder().bucketName("acme-audit-2").build()).build());
    streamer.stream(event("member_created", EntityType.GROUP, "acme/platform"));
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinksClosed).hasSize(2);
    Await.until(WAIT, () -> sinksClosed.get(0).get(), "the client of the old settings to be closed");
    assertThat(sinksClosed.get(1)).isFalse();

    streamer.destinations().delete(ALICE, d.id());
    Await.until(WAIT, () -> sinksClosed.get(1).get(), "the client of a deleted destination to be closed");

    Destination other = create(TestEvents.config(server, "acme-audit").build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(status(other).delivered()).isEqualTo(1);
    streamer.close();
    assertThat(sinksClosed).hasSize(3).allSatisfy(closed -> assertThat(closed).isTrue());
  }

  /** Wraps every sink of a provider to count delivery attempts and see it closed. */
  private static final class CountingProvider implements SinkProvider {
    private final SinkProvider delegate;
    private final AtomicInteger attempts;
    private final List<AtomicBoolean> closed;

    CountingProvider(SinkProvider delegate, AtomicInteger attempts, List<AtomicBoolean> closed) {
      this.delegate = delegate;
      this.attempts = attempts;
      this.closed = closed;
    }

    @Override
    public io.auditstream.api.destination.DestinationKind<?> destinationKind() {
      return delegate.destinationKind();
    }

    @Override
    public void validate(io.auditstream.api.destination.DestinationConfig config, SinkContext context) {
      delegate.validate(config, context);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      Sink sink = delegate.create(destination, context);
      AtomicBoolean isClosed = new AtomicBoolean();
      closed.add(isClosed);
      return new Sink() {
        @Override
        public void deliver(List<io.auditstream.api.sink.EncodedEvent> batch)
            throws io.auditstream.api.sink.DeliveryException {
          attempts.incrementAndGet();
          sink.deliver(batch);
        }

        @Override
        public int maxBatchSize() {
          return sink.maxBatchSize();
        }

        @Override
        public void close() {
          isClosed.set(true);
          sink.close();
        }
      };
    }
  }
}
