package io.auditstream.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.BatchIds;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.TestClock;
import io.auditstream.webhook.RecordingReceiver.Request;
import io.auditstream.webhook.WebhookVerificationException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The library's own HTTP sink, driven by the engine, signs what a real server receives so that the
 * verifier accepts it: single events, batches, retries and a rotation of the signing secret.
 */
class SignedHttpSinkOutputTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String FIRST = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestClock clock = TestClock.at(Instant.now());
  private final Map<String, AuditEvent> streamed = new HashMap<>();
  private RecordingReceiver receiver;
  private AuditStreamer streamer;

  @BeforeEach
  void start() throws IOException {
    receiver = new RecordingReceiver();
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .allowLocalNetwork(true)
        .clock(clock)
        .requestTimeout(Duration.ofSeconds(10))
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(10)).maxAge(Duration.ofDays(1)).jitter(false)
            .build())
        .build();
  }

  @AfterEach
  void stop() {
    streamer.close();
    receiver.close();
  }

  private Destination create(HttpBatching batching, String signingSecret) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(HttpDestinationConfig.builder()
            .destinationUrl(receiver.url()).batching(batching))
        .signingSecret(signingSecret).build());
  }

  private List<AuditEvent> stream(int n) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AuditEvent e = AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, (long) i, "acme/p" + i)
          .build();
      streamed.put(e.id(), e);
      events.add(e);
      assertThat(streamer.stream(e)).isTrue();
    }
    return events;
  }

  private WebhookVerifier verifier(String... secrets) {
    WebhookVerifier.Builder b = WebhookVerifier.builder().clock(clock);
    Arrays.stream(secrets).forEach(b::secret);
    return b.build();
  }

  private static void verify(WebhookVerifier verifier, Request r) throws WebhookVerificationException {
    verifier.verify(r::header, r.body());
  }

  @Test
  void everySingleEventVerifiesAndCarriesItsEventIdBesideTheToken() throws Exception {
    Destination d = create(null, FIRST);
    List<AuditEvent> events = stream(3);

    assertThat(streamer.flush(WAIT)).isTrue();
    List<Request> requests = receiver.requests();
    assertThat(requests).hasSize(3);
    WebhookVerifier verifier = verifier(FIRST);
    for (Request r : requests) {
      verify(verifier, r);
      assertThat(JSON.readTree(r.body()).get("id").asText()).isEqualTo(r.header("webhook-id"));
      assertThat(r.header(HttpHeader.TOKEN_HEADER))
          .isEqualTo(streamer.destinations().verificationToken(ALICE, d.id()).reveal());
      assertThat(r.header("webhook-signature")).startsWith("v1,").doesNotContain(" ");
    }
    assertThat(requests).extracting(r -> r.header("webhook-id"))
        .containsExactlyInAnyOrderElementsOf(events.stream().map(AuditEvent::id).toList());
  }

  @Test
  void aBatchVerifiesOnItsNdjsonBodyWithItsBatchIdAsTheMessageId() throws Exception {
    create(new HttpBatching(10, 1024 * 1024, Duration.ofMillis(200)), FIRST);
    stream(5);

    assertThat(streamer.flush(WAIT)).isTrue();
    WebhookVerifier verifier = verifier(FIRST);
    int events = 0;
    for (Request r : receiver.requests()) {
      verify(verifier, r);
      List<EncodedEvent> batch = new ArrayList<>();
      for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
        batch.add(new EncodedEvent(streamed.get(JSON.readTree(line).get("id").asText()), new byte[0]));
      }
      assertThat(r.header("webhook-id")).isEqualTo(BatchIds.of(batch))
          .isEqualTo(r.header(HttpBatching.BATCH_ID_HEADER));
      events += batch.size();
    }
    assertThat(events).isEqualTo(5);
  }

  @Test
  void aRetryCarriesTheSameIdAndItsOwnTimestampAndBothVerify() throws Exception {
    create(new HttpBatching(10, 1024 * 1024, Duration.ofMillis(50)), FIRST);
    // The first answer is a 503, given a minute after the attempt: the retry is made, and signed, later.
    receiver.failFirst(1, () -> clock.advance(Duration.ofMinutes(1)));
    stream(2);

    assertThat(streamer.flush(WAIT)).isTrue();
    List<Request> requests = receiver.requests();
    assertThat(requests.size()).isGreaterThanOrEqualTo(2);
    Request first = requests.get(0);
    Request retry = requests.stream().skip(1)
        .filter(r -> r.header("webhook-id").equals(first.header("webhook-id"))).findFirst().orElseThrow();
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(Long.parseLong(retry.header("webhook-timestamp")))
        .isGreaterThanOrEqualTo(Long.parseLong(first.header("webhook-timestamp")) + 60);
    assertThat(retry.header("webhook-signature")).isNotEqualTo(first.header("webhook-signature"));
    WebhookVerifier verifier = verifier(FIRST);
    verify(verifier, first);
    verify(verifier, retry);
  }

  @Test
  void duringARotationEitherSecretVerifiesAndAfterItOnlyTheNewOne() throws Exception {
    Destination d = create(null, FIRST);
    Secret next = streamer.destinations().rotateSigningSecret(ALICE, d.id());
    stream(1);
    assertThat(streamer.flush(WAIT)).isTrue();

    Request rotating = receiver.requests().get(0);
    assertThat(rotating.header("webhook-signature").split(" ")).hasSize(2);
    verify(verifier(FIRST), rotating);
    verify(verifier(next.reveal()), rotating);

    streamer.destinations().endSigningRotation(ALICE, d.id());
    stream(1);
    assertThat(streamer.flush(WAIT)).isTrue();
    Request after = receiver.requests().get(1);
    verify(verifier(next.reveal()), after);
    assertThatThrownBy(() -> verify(verifier(FIRST), after)).isInstanceOf(WebhookVerificationException.class)
        .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE));
  }

  @Test
  void aReceivedRequestWithAChangedBodyOrTooLateFails() throws Exception {
    create(null, FIRST);
    stream(1);
    assertThat(streamer.flush(WAIT)).isTrue();
    Request r = receiver.requests().get(0);
    byte[] changed = r.body().clone();
    changed[changed.length - 2] ^= 1;

    assertThatThrownBy(() -> verifier(FIRST).verify(r::header, changed))
        .isInstanceOf(WebhookVerificationException.class);
    clock.advance(Duration.ofMinutes(6));
    assertThatThrownBy(() -> verify(verifier(FIRST), r)).isInstanceOf(WebhookVerificationException.class)
        .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD));
  }
}
