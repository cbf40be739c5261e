package io.auditstream.sink.gcp;

import static io.auditstream.sink.gcp.GcpTestSupport.CLIENT_EMAIL;
import static io.auditstream.sink.gcp.GcpTestSupport.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
import io.auditstream.testing.SinkTestKit;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine, the provider and the real client library together: TLS to a gRPC server on loopback,
 * service-account tokens from a local OAuth endpoint that verifies the signed assertion, and the
 * server checking the bearer token that endpoint issued.
 */
class GcpLoggingEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ServiceAccountKeys keys = ServiceAccountKeys.generate();
  // The provider as a host gets it: the test certificate is trusted through the streamer's settings below.
  private final RecordingProvider provider = new RecordingProvider(new GcpLoggingSinkProvider());
  private FakeTokenEndpoint tokens;
  private FakeCloudLogging server;
  private AuditStreamer streamer;

  @BeforeEach
  void start() throws Exception {
    tokens = FakeTokenEndpoint.start(keys.publicKey(), CLIENT_EMAIL, LoggingClientFactory.SCOPE);
    server = FakeCloudLogging.tls(TestTls.get().serverCredentials(), tokens::issued);
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .allowLocalNetwork(true)
        .trustedCertificates(List.of(TestTls.get().certificate()))
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
            Duration.ofMillis(160), Duration.ofMillis(200)).build())
        .sinkProviders(List.of())
        .addSinkProvider(provider)
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    streamer.close();
    server.close();
    tokens.close();
  }

  private GcpLoggingDestinationConfig.Builder config(String privateKeyPem) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(PROJECT)
        .clientEmail(CLIENT_EMAIL)
        .privateKey(privateKeyPem)
        .endpoint(server.endpoint())
        .tokenServerUri(tokens.uri().toString());
  }

  private Destination create(GcpLoggingDestinationConfig config) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(config).name("cloud").build());
  }

  private static AuditEvent event(String type, EntityType entityType, String path) {
    return AuditEvent.builder().eventType(type).author(1L, "Alice").entity(entityType, 5L, path)
        .customMessage("did " + type).build();
  }

  private DestinationStatus status(Destination d) {
    return streamer.destinations().status(ALICE, d.id());
  }

  @Test
  void writesGroupSubgroupAndProjectEventsAuthenticatedAsTheServiceAccount() throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    List<AuditEvent> events = List.of(
        event("group_created", EntityType.GROUP, "acme"),
        event("member_created", EntityType.GROUP, "acme/platform"),
        event("project_created", EntityType.PROJECT, "acme/platform/api"),
        event("project_created", EntityType.PROJECT, "other-group/api"));
    events.forEach(streamer::stream);

    assertThat(streamer.flush(WAIT)).isTrue();

    List<LogEntry> entries = server.entries();
    assertThat(entries).extracting(LogEntry::getInsertId)
        .containsExactlyInAnyOrder(events.get(0).id(), events.get(1).id(), events.get(2).id());
    for (LogEntry entry : entries) {
      AuditEvent sent = events.stream().filter(e -> e.id().equals(entry.getInsertId())).findFirst().orElseThrow();
      assertThat(entry.getLogName()).isEqualTo("projects/" + PROJECT + "/logs/audit-events");
      assertThat(entry.getResource().getType()).isEqualTo("global");
      assertThat(entry.getSeverity()).isEqualTo(LogSeverity.INFO);
      var payload = entry.getJsonPayload().getFieldsMap();
      assertThat(payload.get("id").getStringValue()).isEqualTo(sent.id());
      assertThat(payload.get("event_type").getStringValue()).isEqualTo(sent.eventType());
      assertThat(payload.get("entity_path").getStringValue()).isEqualTo(sent.entityPath());
      assertThat(payload.get("author_id").getNumberValue()).isEqualTo(1.0);
      assertThat(payload.get("details").getStructValue().getFieldsOrThrow("custom_message").getStringValue())
          .isEqualTo("did " + sent.eventType());
      assertThat(entry.getTimestamp().getSeconds()).isEqualTo(sent.createdAt().getEpochSecond());
    }
    assertThat(server.authorizations()).isNotEmpty().allSatisfy(a ->
        assertThat(tokens.issued(a.substring("Bearer ".length()))).isTrue());
    JsonNode claims = tokens.acceptedClaims().get(0);
    assertThat(claims.get("iss").asText()).isEqualTo(CLIENT_EMAIL);
    assertThat(claims.get("scope").asText()).isEqualTo("https://www.googleapis.com/auth/logging.write");
    assertThat(claims.get("aud").asText()).isEqualTo(FakeTokenEndpoint.AUDIENCE);
    assertThat(tokens.acceptedClaims()).as("one token, reused").hasSize(1);
    assertThat(status(d).delivered()).isEqualTo(3);
  }

  @Test
  void writesSeveralQueuedEventsInOneCall() throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    // The first write is refused, so the events streamed meanwhile queue up behind the retried one.
    server.failNext(Status.Code.UNAVAILABLE, 1);
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    Await.until(WAIT, () -> status(d).consecutiveFailures() > 0, "a failed attempt");
    for (int i = 0; i < 5; i++) {
      streamer.stream(event("member_created", EntityType.GROUP, "acme"));
    }

    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(server.entries()).hasSize(6);
    assertThat(server.requests()).anySatisfy(r -> assertThat(r.getEntriesCount()).isGreaterThan(1));
    assertThat(status(d).delivered()).isEqualTo(6);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "INTERNAL"})
  void retriesTransientStatusesUntilTheEntryIsWritten(Status.Code code) throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    server.failNext(code, 2);
    AuditEvent event = event("group_created", EntityType.GROUP, "acme");

    streamer.stream(event);

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(server.entries()).extracting(LogEntry::getInsertId).containsExactly(event.id());
    assertThat(server.attempts()).isEqualTo(3);
    DestinationStatus status = status(d);
    assertThat(status.delivered()).isEqualTo(1);
    assertThat(status.failed()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"PERMISSION_DENIED", "UNAUTHENTICATED", "INVALID_ARGUMENT", "NOT_FOUND"})
  void reportsPermanentStatusesOnTheDestinationWithoutRetrying(Status.Code code) throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    server.failAlways(code);

    streamer.stream(event("group_created", EntityType.GROUP, "acme"));

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(server.attempts()).isEqualTo(1);
    DestinationStatus status = status(d);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains(code.name())
        .contains("projects/" + PROJECT + "/logs/audit-events"));
  }

  @Test
  void aKeyTheTokenEndpointRefusesIsAPermanentFailureNamingTheServiceAccount() throws Exception {
    ServiceAccountKeys wrong = ServiceAccountKeys.generate();
    Destination d = create(config(wrong.privateKeyPem()).build());

    streamer.stream(event("group_created", EntityType.GROUP, "acme"));

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(tokens.refusals()).containsExactly("signature does not verify");
    assertThat(server.attempts()).as("no write reached the service").isZero();
    DestinationStatus status = status(d);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e)
        .contains("UNAUTHENTICATED").contains("token endpoint refused").contains(CLIENT_EMAIL)
        .doesNotContain(wrong.privateKeyBody()));
  }

  @Test
  void aTokenEndpointThatIsDownIsRetried() throws Exception {
    tokens.close();
    Destination d = create(config(keys.privateKeyPem()).build());

    streamer.stream(event("group_created", EntityType.GROUP, "acme"));

    Await.until(WAIT, () -> status(d).consecutiveFailures() >= 2, "2 failed attempts in a row");
    DestinationStatus status = status(d);
    assertThat(status.failed()).isZero();
    assertThat(status.pending()).isEqualTo(1);
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("UNAVAILABLE"));
  }

  @Test
  void namesAnUntrustedServerCertificateAsSuchAndRetries() throws Exception {
    GcpLoggingDestinationConfig config = config(keys.privateKeyPem()).build();
    // The streamer's context trusts the test certificate; this one, as a host without it would, does not.
    try (Sink sink = provider.create(SinkTestKit.destination(config), SinkTestKit.loopbackContext())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.deliver(List.of(
              GcpTestSupport.event("evt-1", "group_created", EntityType.GROUP, "acme"))))
          .isInstanceOfSatisfying(io.auditstream.api.sink.DeliveryException.class,
              e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageStartingWith("TLS handshake with ")
          .hasMessageEndingWith(" failed: the server's certificate is not trusted (add its CA with"
              + " trustedCertificates, or fix the chain)");
    }
    assertThat(server.attempts()).isZero();
  }

  @Test
  void aTokenEndpointThatNeverAnswersFailsTheWriteWithinTheRequestTimeout() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      GcpLoggingDestinationConfig config = config(keys.privateKeyPem())
          .tokenServerUri("http://127.0.0.1:" + silent.port() + "/token").build();
      SinkContext context = SinkTestKit.loopbackContext().toBuilder().requestTimeout(Duration.ofMillis(800))
          .trustedCertificates(List.of(TestTls.get().certificate())).build();
      long start = System.nanoTime();
      try (Sink sink = provider.create(SinkTestKit.destination(config), context)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.deliver(List.of(
                GcpTestSupport.event("evt-1", "group_created", EntityType.GROUP, "acme"))))
            .isInstanceOfSatisfying(io.auditstream.api.sink.DeliveryException.class,
                e -> assertThat(e.isRetryable()).isTrue());
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(silent.connections()).as("the token request was sent").isPositive();
      assertThat(server.attempts()).isZero();
    }
  }

  @Test
  void anEventTooLargeForCloudLoggingIsTheOnlyOneLost() throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      events.add(event("project_created", EntityType.PROJECT, "acme/p" + i));
    }
    AuditEvent huge = AuditEvent.builder().eventType("project_created").author(1L, "Alice")
        .entity(EntityType.PROJECT, 5L, "acme/huge").customMessage("x".repeat(FakeCloudLogging.MAX_ENTRY_BYTES)).build();
    events.add(4, huge);
    // Streamed at once, so the engine hands the sink batches holding the oversized event with others.
    events.forEach(streamer::stream);

    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(server.entries()).extracting(LogEntry::getInsertId)
        .containsExactlyInAnyOrderElementsOf(events.stream().filter(e -> e != huge).map(AuditEvent::id).toList());
    DestinationStatus status = status(d);
    assertThat(status.delivered()).isEqualTo(8);
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.lastError()).hasValueSatisfying(m -> assertThat(m).contains("INVALID_ARGUMENT"));
  }

  @Test
  void writesEverythingOnceTheServerIsBackAfterBeingDown() throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    server.stop();
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      AuditEvent e = event("member_created", EntityType.GROUP, "acme/platform");
      events.add(e);
      streamer.stream(e);
    }
    Await.until(WAIT, () -> status(d).consecutiveFailures() >= 2, "2 failed attempts in a row");

    server.restart();

    assertThat(streamer.flush(WAIT)).isTrue();
    List<String> ids = server.entries().stream().map(LogEntry::getInsertId).toList();
    assertThat(ids).hasSize(9).doesNotHaveDuplicates().containsAll(events.stream().map(AuditEvent::id).toList());
    assertThat(status(d).delivered()).isEqualTo(9);
    assertThat(status(d).failed()).isZero();
  }

  @Test
  void anUpdateWithTheListedConfigAndANewNameStillSignsInWithTheStoredKey() throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    GcpLoggingDestinationConfig listed = (GcpLoggingDestinationConfig) streamer.destinations()
        .list(ALICE, "acme").get(0).config();
    assertThat(listed.privateKey().isRedacted()).isTrue();

    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder().name("cloud (renamed)")
        .config(listed.toBuilder().logIdName("after-update").build()).build());
    AuditEvent event = event("group_created", EntityType.GROUP, "acme");
    streamer.stream(event);

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(server.entries()).singleElement().satisfies(entry -> {
      assertThat(entry.getInsertId()).isEqualTo(event.id());
      assertThat(entry.getLogName()).isEqualTo("projects/" + PROJECT + "/logs/after-update");
    });
    // The token endpoint checked the assertion's signature: the key kept through the update is the real one.
    assertThat(tokens.acceptedClaims()).isNotEmpty();
    assertThat(status(d).failed()).isZero();
  }

  @Test
  void closesTheClientWhenTheDestinationIsUpdatedOrDeletedAndWhenTheStreamerCloses() throws Exception {
    Destination d = create(config(keys.privateKeyPem()).build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    GcpLoggingSink first = provider.sinks.get(0);
    LoggingConnection firstConnection = first.currentConnection();

    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder()
        .config(config(null).logIdName("renamed").build()).build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(firstConnection.isShutdown()).isTrue();
    assertThat(server.entries()).last().extracting(LogEntry::getLogName)
        .isEqualTo("projects/" + PROJECT + "/logs/renamed");
    GcpLoggingSink second = provider.sinks.get(provider.sinks.size() - 1);
    LoggingConnection secondConnection = second.currentConnection();
    assertThat(secondConnection).isNotNull().isNotSameAs(firstConnection);

    streamer.destinations().delete(ALICE, d.id());
    Await.until(WAIT, secondConnection::isShutdown, "the connection of the deleted destination to shut down");

    Destination other = create(config(keys.privateKeyPem()).logIdName("third").build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    LoggingConnection third = provider.sinks.get(provider.sinks.size() - 1).currentConnection();
    streamer.close();
    assertThat(third.isShutdown()).isTrue();
    assertThat(other).isNotNull();
  }

  @Test
  void neverShowsThePrivateKeyInLogsStatusListingsOrMessages() throws Exception {
    ServiceAccountKeys wrong = ServiceAccountKeys.generate();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> texts = new ArrayList<>();
    try {
      Destination good = create(config(keys.privateKeyPem()).logIdName("good").build());
      Destination bad = streamer.destinations().create(ALICE, "acme",
          DestinationDraft.builder(config(wrong.privateKeyPem()).logIdName("bad").build()).name("bad").build());
      server.failNext(Status.Code.PERMISSION_DENIED, 1);
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      assertThat(streamer.flush(WAIT)).isTrue();
      for (Destination d : List.of(good, bad)) {
        texts.add(d.toString());
        texts.add(d.config().toString());
        texts.add(status(d).toString());
      }
      streamer.destinations().list(ALICE, "acme").forEach(d -> texts.add(d.toString()));
      provider.sinks.forEach(s -> texts.add(s.toString()));
    } finally {
      System.setErr(originalErr);
    }

    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the failures are logged").contains("WARN").contains("token endpoint refused");
    for (String secret : List.of(keys.privateKeyBody(), wrong.privateKeyBody(), "PRIVATE KEY-----\nMII")) {
      assertThat(log).doesNotContain(secret);
      assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(secret));
    }
    assertThat(texts).anySatisfy(t -> assertThat(t).contains("privateKey=set"));
  }

  /** The real provider, remembering every sink it made. */
  private static final class RecordingProvider implements SinkProvider {
    private final GcpLoggingSinkProvider delegate;
    final List<GcpLoggingSink> sinks = new CopyOnWriteArrayList<>();

    RecordingProvider(GcpLoggingSinkProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public io.auditstream.api.destination.DestinationKind<?> destinationKind() {
      return delegate.destinationKind();
    }

    @Override
    public void validate(DestinationConfig config, SinkContext context) {
      delegate.validate(config, context);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      GcpLoggingSink sink = (GcpLoggingSink) delegate.create(destination, context);
      sinks.add(sink);
      return sink;
    }
  }
}
