package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.DeliveryAttempt;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.fixtures.Eventually;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import io.auditstream.core.internal.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine signs every delivery attempt and hands the headers to the sink, through the streamer as a host uses it. */
class AuditStreamerSigningTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final String KIND = "attempts";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Secret FIRST = Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  private static final Secret SECOND = Secret.of("whsec_" + Base64.getEncoder().encodeToString(new byte[40]));
  private static final Instant START = Instant.parse("2026-05-01T12:00:00.250Z");

  private final AttemptSinks sinks = new AttemptSinks();
  private final MutableClock clock = new MutableClock(START);
  private AuditStreamer streamer;

  @AfterEach
  void close() {
    if (streamer != null) {
      streamer.close();
    }
  }

  private Destination start(Secret signingSecret) {
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .sinkProviders(List.of(sinks))
        .clock(clock)
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(10)).maxAge(Duration.ofDays(1)).jitter(false)
            .build())
        .closeTimeout(Duration.ofSeconds(1))
        .build();
    DestinationDraft.Builder draft = DestinationDraft.builder(TestConfig.of(KIND, "attempts/1"))
        .verificationToken("token-0123456789ab");
    if (signingSecret != null) {
      draft.signingSecret(signingSecret.reveal());
    }
    return streamer.destinations().create(ALICE, "acme", draft.build());
  }

  private AuditEvent streamOne() {
    AuditEvent e = AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, "acme/x").build();
    assertThat(streamer.stream(e)).isTrue();
    return e;
  }

  @Test
  void anUnsignedDestinationGetsItsTokenAloneFromTheEngine() {
    start(null);
    streamOne();

    assertThat(eventually(() -> sinks.seen.size() == 1)).isTrue();
    assertThat(sinks.seen.get(0).headers()).containsExactly(Map.entry("X-Gitlab-Event-Streaming-Token",
        "token-0123456789ab"));
  }

  @Test
  void signsEachAttemptWithItsOwnTimestampOverTheSameIdAndBytes() throws Exception {
    start(FIRST);
    sinks.failFirst.set(1);
    AuditEvent event = streamOne();

    assertThat(eventually(() -> sinks.seen.size() == 2)).isTrue();
    Seen first = sinks.seen.get(0);
    Seen retry = sinks.seen.get(1);
    assertThat(first.headers().get("webhook-id")).isEqualTo(event.id());
    assertThat(retry.headers().get("webhook-id")).isEqualTo(event.id());
    assertThat(first.headers().get("webhook-timestamp")).isEqualTo(Long.toString(START.getEpochSecond()));
    // The sink moved the engine's clock on by a minute when it failed: the retry is signed at its own time.
    assertThat(retry.headers().get("webhook-timestamp"))
        .isEqualTo(Long.toString(START.plusSeconds(60).getEpochSecond()));
    for (Seen s : sinks.seen) {
      assertThat(s.headers().get("webhook-signature"))
          .isEqualTo("v1," + hmac(FIRST, event.id() + "." + s.headers().get("webhook-timestamp") + ".", s.body()));
    }
  }

  @Test
  void duringARotationBothSecretsSignAndAfterItOnlyTheNewOne() throws Exception {
    Destination d = start(FIRST);
    streamer.destinations().rotateSigningSecret(ALICE, d.id(), SECOND);
    streamOne();
    assertThat(eventually(() -> sinks.seen.size() == 1)).isTrue();

    streamer.destinations().endSigningRotation(ALICE, d.id());
    streamOne();
    assertThat(eventually(() -> sinks.seen.size() == 2)).isTrue();

    Seen rotating = sinks.seen.get(0);
    String signed = rotating.headers().get("webhook-id") + "." + rotating.headers().get("webhook-timestamp") + ".";
    assertThat(rotating.headers().get("webhook-signature"))
        .isEqualTo("v1," + hmac(SECOND, signed, rotating.body()) + " v1," + hmac(FIRST, signed, rotating.body()));
    Seen after = sinks.seen.get(1);
    assertThat(after.headers().get("webhook-signature")).doesNotContain(" ").isEqualTo("v1," + hmac(SECOND,
        after.headers().get("webhook-id") + "." + after.headers().get("webhook-timestamp") + ".", after.body()));
  }

  @Test
  void disablingSigningStopsTheSignatureFromTheNextAttempt() {
    Destination d = start(FIRST);
    streamer.destinations().disableSigning(ALICE, d.id());
    streamOne();

    assertThat(eventually(() -> sinks.seen.size() == 1)).isTrue();
    assertThat(sinks.seen.get(0).headers()).containsOnlyKeys("X-Gitlab-Event-Streaming-Token");
  }

  private static String hmac(Secret secret, String prefix, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.reveal().substring(6)), "HmacSHA256"));
    mac.update(prefix.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  private static boolean eventually(BooleanSupplier condition) {
    return Eventually.within(WAIT, condition);
  }

  /** What a sink got for one event of one attempt. */
  private record Seen(Map<String, String> headers, byte[] body) {}

  /** Sinks that record the attempt's headers for each event; the first {@code failFirst} attempts fail. */
  private final class AttemptSinks implements SinkProvider {
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();

    @Override
    public DestinationKind<?> destinationKind() {
      return new TestKind(KIND);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return new Sink() {
        @Override
        public void deliver(List<EncodedEvent> batch) {
          throw new AssertionError("the engine hands every delivery an attempt");
        }

        @Override
        public CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, DeliveryAttempt attempt,
            Executor blockingExecutor) {
          for (EncodedEvent e : batch) {
            seen.add(new Seen(attempt.headersFor(e), e.json()));
          }
          if (failFirst.getAndDecrement() > 0) {
            clock.advance(Duration.ofSeconds(60));
            return CompletableFuture.failedFuture(DeliveryException.retryable("HTTP 503"));
          }
          return CompletableFuture.completedFuture(null);
        }
      };
    }
  }
}
