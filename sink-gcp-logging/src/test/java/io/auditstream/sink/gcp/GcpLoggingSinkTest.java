package io.auditstream.sink.gcp;

import static io.auditstream.sink.gcp.GcpTestSupport.PROJECT;
import static io.auditstream.sink.gcp.GcpTestSupport.event;
import static io.auditstream.sink.gcp.GcpTestSupport.plaintextConfig;
import static io.auditstream.testing.SinkTestKit.destination;
import static io.auditstream.testing.SinkTestKit.loopbackContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.WriteLogEntriesRequest;
import com.google.protobuf.Struct;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.SinkContext;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sink alone against a real gRPC server on loopback, in plaintext mode. */
class GcpLoggingSinkTest {
  private FakeCloudLogging server;
  private GcpLoggingSink sink;

  @BeforeEach
  void start() throws Exception {
    server = FakeCloudLogging.plaintext();
    sink = sink(plaintextConfig(server).build(), loopbackContext());
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
    server.close();
  }

  private static GcpLoggingSink sink(GcpLoggingDestinationConfig config, SinkContext context) {
    return (GcpLoggingSink) new GcpLoggingSinkProvider().create(destination(config), context);
  }

  @Test
  void writesOneEntryPerEventWithLogNameResourceSeverityInsertIdTimestampAndPayload() throws Exception {
    EncodedEvent event = event("evt-1", "project_created", EntityType.PROJECT, "acme/platform/api");

    sink.deliver(List.of(event));

    WriteLogEntriesRequest request = server.requests().get(0);
    assertThat(request.getLogName()).isEqualTo("projects/" + PROJECT + "/logs/audit-events");
    LogEntry entry = request.getEntries(0);
    assertThat(entry.getLogName()).isEqualTo("projects/" + PROJECT + "/logs/audit-events");
    assertThat(entry.getResource().getType()).isEqualTo("global");
    assertThat(entry.getResource().getLabelsMap()).containsEntry("project_id", PROJECT);
    assertThat(entry.getSeverity()).isEqualTo(LogSeverity.INFO);
    assertThat(entry.getInsertId()).isEqualTo("evt-1");
    assertThat(entry.getTimestamp().getSeconds()).isEqualTo(event.event().createdAt().getEpochSecond());
    assertThat(entry.getTimestamp().getNanos()).isEqualTo(789_000_000);
    Struct payload = entry.getJsonPayload();
    assertThat(payload.getFieldsMap()).containsOnlyKeys("id", "event_type", "author_id", "author_name",
        "entity_id", "entity_type", "entity_path", "target_id", "target_type", "target_details", "ip_address",
        "created_at", "details");
    assertThat(text(payload, "id")).isEqualTo("evt-1");
    assertThat(text(payload, "event_type")).isEqualTo("project_created");
    assertThat(payload.getFieldsOrThrow("author_id").getNumberValue()).isEqualTo(7.0);
    assertThat(text(payload, "author_name")).isEqualTo("Jane Doe");
    assertThat(payload.getFieldsOrThrow("entity_id").getNumberValue()).isEqualTo(11.0);
    assertThat(text(payload, "entity_type")).isEqualTo("Project");
    assertThat(text(payload, "entity_path")).isEqualTo("acme/platform/api");
    assertThat(payload.getFieldsOrThrow("target_id").getNumberValue()).isEqualTo(12.0);
    assertThat(text(payload, "target_type")).isEqualTo("Project");
    assertThat(text(payload, "target_details")).isEqualTo("acme/platform/api");
    assertThat(text(payload, "ip_address")).isEqualTo("203.0.113.7");
    assertThat(text(payload, "created_at")).isEqualTo("2024-05-02T12:34:56.789Z");
    Struct details = payload.getFieldsOrThrow("details").getStructValue();
    assertThat(text(details, "custom_message")).isEqualTo("caf\u00e9 \u2713");
    assertThat(details.getFieldsOrThrow("count").getNumberValue()).isEqualTo(3.0);
  }

  @Test
  void encodesSlashesOfTheLogIdInTheLogName() throws Exception {
    try (GcpLoggingSink s = sink(plaintextConfig(server).logIdName("audit/gitlab").build(), loopbackContext())) {
      s.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
    }

    assertThat(server.entries().get(0).getLogName()).isEqualTo("projects/" + PROJECT + "/logs/audit%2Fgitlab");
  }

  @Test
  void writesABatchOfEventsInOneCall() throws Exception {
    List<EncodedEvent> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(event("evt-" + i, "group_created", EntityType.GROUP, "acme"));
    }

    sink.deliver(batch);

    assertThat(sink.maxBatchSize()).isEqualTo(GcpLoggingSink.MAX_BATCH_SIZE);
    assertThat(server.requests()).hasSize(1);
    assertThat(server.entries()).extracting(LogEntry::getInsertId)
        .containsExactly("evt-0", "evt-1", "evt-2", "evt-3", "evt-4");
  }

  @Test
  void splitsABatchWhoseEntriesExceedTheByteBoundIntoSeveralCalls() throws Exception {
    // Entries as large as Cloud Logging takes (just under 256 KiB), enough of them to pass the byte bound.
    String large = "x".repeat(FakeCloudLogging.MAX_ENTRY_BYTES - 2_000);
    int perCall = GcpLoggingSink.MAX_REQUEST_BYTES / FakeCloudLogging.MAX_ENTRY_BYTES;
    List<EncodedEvent> batch = new ArrayList<>();
    for (int i = 0; i < perCall + 3; i++) {
      EncodedEvent e = event("big-" + i, "group_created", EntityType.GROUP, "acme");
      batch.add(new EncodedEvent(e.event(), ("{\"id\":\"big-" + i + "\",\"blob\":\"" + large + "\"}").getBytes()));
    }

    sink.deliver(batch);

    assertThat(server.requests()).extracting(WriteLogEntriesRequest::getEntriesCount).containsExactly(perCall, 3);
    assertThat(server.entries()).extracting(LogEntry::getInsertId)
        .containsExactlyElementsOf(batch.stream().map(e -> e.event().id()).toList());
  }

  @Test
  void anEntryLargerThanCloudLoggingTakesIsAPermanentFailure() {
    EncodedEvent e = event("huge", "group_created", EntityType.GROUP, "acme");
    String blob = "x".repeat(FakeCloudLogging.MAX_ENTRY_BYTES);
    EncodedEvent huge = new EncodedEvent(e.event(), ("{\"id\":\"huge\",\"blob\":\"" + blob + "\"}").getBytes());

    assertThatThrownBy(() -> sink.deliver(List.of(huge)))
        .isInstanceOfSatisfying(DeliveryException.class, x -> assertThat(x.isRetryable()).isFalse())
        .hasMessageContaining("INVALID_ARGUMENT");
    assertThat(server.entries()).isEmpty();
  }

  @Test
  void reusesOneClientAndSendsTheUserAgent() throws Exception {
    sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
    LoggingConnection first = sink.currentConnection();
    sink.deliver(List.of(event("evt-2", "group_created", EntityType.GROUP, "acme")));

    assertThat(sink.currentConnection()).isSameAs(first);
    assertThat(server.userAgents()).allSatisfy(ua -> assertThat(ua).startsWith("audit-stream-test/1.0"));
    assertThat(server.authorizations()).containsOnly("");
  }

  @Test
  void closeShutsTheClientDownAndLaterDeliveriesAreRetryable() throws Exception {
    sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
    LoggingConnection connection = sink.currentConnection();

    sink.close();
    sink.close();

    assertThat(connection.isShutdown()).isTrue();
    assertThat(sink.currentConnection()).isNull();
    assertThatThrownBy(() -> sink.deliver(List.of(event("evt-2", "group_created", EntityType.GROUP, "acme"))))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("closed");
  }

  @Test
  void createsNoClientBeforeTheFirstDelivery() {
    assertThat(sink.currentConnection()).isNull();
    assertThat(server.attempts()).isZero();
  }

  @Test
  void reconnectsAtOnceWhenTheServerIsBack() throws Exception {
    sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme")));
    server.stop();
    assertThatThrownBy(() -> sink.deliver(List.of(event("evt-2", "group_created", EntityType.GROUP, "acme"))))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("UNAVAILABLE");

    server.restart();
    // Without a reset the channel would fail calls fast for its own reconnect backoff (a second or more).
    sink.deliver(List.of(event("evt-2", "group_created", EntityType.GROUP, "acme")));

    assertThat(server.entries()).extracting(LogEntry::getInsertId).containsExactly("evt-1", "evt-2");
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "INTERNAL"})
  void mapsTransientStatusesToRetryableFailures(Status.Code code) throws Exception {
    server.failNext(code, 1);

    assertThatThrownBy(() -> sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme"))))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining(code.name())
        .hasMessageContaining("projects/" + PROJECT + "/logs/audit-events")
        .hasMessageContaining(server.endpoint());
    assertThat(server.attempts()).as("the client does not retry by itself").isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"PERMISSION_DENIED", "UNAUTHENTICATED", "INVALID_ARGUMENT", "NOT_FOUND"})
  void mapsPermanentStatusesToPermanentFailures(Status.Code code) throws Exception {
    server.failNext(code, 1);

    assertThatThrownBy(() -> sink.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme"))))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining(code.name())
        .hasMessageContaining("scripted " + code)
        .hasMessageContaining("projects/" + PROJECT + "/logs/audit-events");
    assertThat(server.attempts()).isEqualTo(1);
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheRequestTimeout() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      GcpLoggingDestinationConfig config = plaintextConfig(server).endpoint("127.0.0.1:" + silent.port()).build();
      SinkContext context = loopbackContext().toBuilder().requestTimeout(Duration.ofMillis(800)).build();
      long start = System.nanoTime();
      try (GcpLoggingSink s = sink(config, context)) {
        assertThatThrownBy(() -> s.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme"))))
            .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void refusesPlaintextAtDeliveryWhenTheStreamerNoLongerAllowsLocalNetwork() {
    SinkContext strict = loopbackContext().toBuilder().allowLocalNetwork(false).build();

    try (GcpLoggingSink s = sink(plaintextConfig(server).build(), strict)) {
      assertThatThrownBy(() -> s.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme"))))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessageContaining("plaintext")
          .hasMessageContaining("allowLocalNetwork");
    }
    assertThat(server.attempts()).isZero();
  }

  @Test
  void aStoredKeyThatDoesNotReadIsAPermanentFailureThatDoesNotQuoteIt() {
    ServiceAccountKeys keys = ServiceAccountKeys.generate();
    String pkcs1Labelled = keys.privateKeyPem().replace("PRIVATE KEY", "RSA PRIVATE KEY");
    GcpLoggingDestinationConfig config = plaintextConfig(server).plaintext(false).privateKey(pkcs1Labelled).build();

    try (GcpLoggingSink s = sink(config, loopbackContext())) {
      assertThatThrownBy(() -> s.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme"))))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessageContaining("openssl pkcs8")
          .hasMessageNotContaining(keys.privateKeyBody());
    }
    assertThat(server.attempts()).isZero();
  }

  @Test
  void refusesAnEndpointNameThatResolvesToLoopbackBeforeConnecting() {
    GcpLoggingDestinationConfig config = plaintextConfig(server)
        .endpoint("localhost:" + server.endpoint().split(":")[1]).plaintext(false)
        .privateKey(ServiceAccountKeys.generate().privateKeyPem()).build();
    SinkContext strict = loopbackContext().toBuilder().allowLocalNetwork(false).build();

    try (GcpLoggingSink s = sink(config, strict)) {
      assertThatThrownBy(() -> s.deliver(List.of(event("evt-1", "group_created", EntityType.GROUP, "acme"))))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessageContaining("loopback")
          .hasMessageContaining("allowLocalNetwork");
      assertThat(s.currentConnection()).isNull();
    }
    assertThat(server.attempts()).isZero();
  }

  private static String text(Struct s, String field) {
    return s.getFieldsOrThrow(field).getStringValue();
  }
}
