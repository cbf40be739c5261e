package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.internal.RetryDecider.Decision;
import io.auditstream.core.internal.RetryDecider.Expiry;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.Isolate;
import io.auditstream.core.internal.RetryDecider.Outcome;
import io.auditstream.core.internal.RetryDecider.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDeciderTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofHours(1);
  /** 1 s, 5 s, then every minute; an hour of age; no jitter. */
  private final RetryDecider decider = new RetryDecider(RetryPolicy.builder()
      .schedule(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1)).maxAge(MAX_AGE).jitter(false)
      .build());

  private static final AttemptFailure RETRYABLE = new AttemptFailure("HTTP 503", true, null);
  private static final AttemptFailure PERMANENT = new AttemptFailure("HTTP 400", false, null);

  private static AttemptFailure retryAfter(Duration d) {
    return new AttemptFailure("HTTP 429", true, d);
  }

  /** A new delivery, accepted at {@code enqueuedAt}. */
  private static QueuedDelivery delivery(Instant enqueuedAt) {
    AuditEvent e = AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
    return new QueuedDelivery(DestinationId.of("acme-siem"), new EncodedEvent(e, AuditEventJson.encode(e)), enqueuedAt);
  }

  /** {@code d} after {@code n} failed attempts. */
  private static QueuedDelivery failed(QueuedDelivery d, int n) {
    QueuedDelivery out = d;
    for (int i = 0; i < n; i++) {
      out = out.failedAttempt(out.nextAttemptAt(), "HTTP 503");
    }
    return out;
  }

  private static Outcome outcome(Decision d) {
    assertThat(d).isInstanceOf(Outcome.class);
    return (Outcome) d;
  }

  @Test
  void aFirstTransientFailureReschedulesTheDeliveryAfterTheFirstStep() {
    QueuedDelivery d = delivery(T0);

    Outcome o = outcome(decider.onFailure(List.of(d), RETRYABLE, T0));

    assertThat(o).isEqualTo(new Outcome(List.of(d.failedAttempt(T0.plusSeconds(1), "HTTP 503")), List.of(),
        Optional.of(new Wait(Duration.ofSeconds(1), T0.plusSeconds(1)))));
    assertThat(o.rescheduled().get(0).attempts()).isOne();
    assertThat(o.rescheduled().get(0).lastError()).contains("HTTP 503");
  }

  @Test
  void eachFurtherFailureWaitsTheNextStepAndTheLastStepRepeats() {
    Instant now = T0.plusSeconds(10);

    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 1)), RETRYABLE, now)).next())
        .contains(new Wait(Duration.ofSeconds(5), now.plusSeconds(5)));
    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 2)), RETRYABLE, now)).next())
        .contains(new Wait(Duration.ofMinutes(1), now.plusSeconds(60)));
    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 7)), RETRYABLE, now)).next())
        .contains(new Wait(Duration.ofMinutes(1), now.plusSeconds(60)));
  }

  @Test
  void aFailedBatchIsDueAgainAsOneOnTheStepOfItsMostAttemptedDelivery() {
    QueuedDelivery probed = failed(delivery(T0), 2);
    QueuedDelivery behind = delivery(T0.plusSeconds(3));
    Instant now = T0.plusSeconds(10);

    Outcome o = outcome(decider.onFailure(List.of(probed, behind), RETRYABLE, now));

    Instant at = now.plus(Duration.ofMinutes(1));
    assertThat(o.rescheduled()).containsExactly(probed.failedAttempt(at, "HTTP 503"), behind.failedAttempt(at, "HTTP 503"));
    assertThat(o.rescheduled()).extracting(QueuedDelivery::attempts).containsExactly(3, 1);
    assertThat(o.next()).contains(new Wait(Duration.ofMinutes(1), at));
    assertThat(o.giveUps()).isEmpty();
  }

  @Test
  void aRetryAfterLongerThanTheStepIsHonoured() {
    AttemptFailure f = AttemptFailure.of(DeliveryException.retryableAfter("HTTP 429", Duration.ofSeconds(30)));

    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(outcome(decider.onFailure(List.of(delivery(T0)), f, T0)).next())
        .contains(new Wait(Duration.ofSeconds(30), T0.plusSeconds(30)));
  }

  @Test
  void aRetryAfterShorterThanTheStepIsOverruled() {
    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 1)), retryAfter(Duration.ofMillis(1)), T0)).next())
        .contains(new Wait(Duration.ofSeconds(5), T0.plusSeconds(5)));
  }

  @Test
  void aRetryAfterIsCappedAtTheSchedulesLongestStep() {
    assertThat(outcome(decider.onFailure(List.of(delivery(T0)), retryAfter(Duration.ofHours(5)), T0)).next())
        .contains(new Wait(Duration.ofMinutes(1), T0.plusSeconds(60)));
  }

  @Test
  void aDeliveryWhoseNextAttemptWouldComeAfterItsMaxAgeAgesOutAtOnce() {
    QueuedDelivery d = failed(delivery(T0), 2);
    Instant now = T0.plus(MAX_AGE).minusSeconds(30);

    Outcome o = outcome(decider.onFailure(List.of(d), RETRYABLE, now));

    assertThat(o.rescheduled()).isEmpty();
    assertThat(o.next()).isEmpty();
    assertThat(o.giveUps()).containsExactly(new GiveUp(List.of(d.failedAttempt(now.plusSeconds(60), "HTTP 503")),
        "aged out after 3 attempts: HTTP 503"));
  }

  @Test
  void aNextAttemptExactlyAtTheDeadlineIsTooLate() {
    Instant now = T0.plus(MAX_AGE).minusSeconds(60);

    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 2)), RETRYABLE, now)).giveUps()).hasSize(1);
    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 2)), RETRYABLE, now.minusMillis(1)))
        .rescheduled()).hasSize(1);
  }

  @Test
  void inAFailedBatchOnlyTheDeliveriesTooOldAgeOut() {
    QueuedDelivery old = failed(delivery(T0), 4);
    QueuedDelivery young = delivery(T0.plus(Duration.ofMinutes(30)));
    Instant now = T0.plus(Duration.ofMinutes(59));

    Outcome o = outcome(decider.onFailure(List.of(old, young), RETRYABLE, now));

    assertThat(o.giveUps()).singleElement().satisfies(g -> {
      assertThat(g.deliveries()).extracting(QueuedDelivery::eventId).containsExactly(old.eventId());
      assertThat(g.reason()).isEqualTo("aged out after 5 attempts: HTTP 503");
    });
    assertThat(o.rescheduled()).extracting(QueuedDelivery::eventId).containsExactly(young.eventId());
    assertThat(o.next()).contains(new Wait(Duration.ofMinutes(1), now.plusSeconds(60)));
  }

  @Test
  void aPermanentFailureOfOneEventMakesADeadLetterAtOnce() {
    QueuedDelivery d = delivery(T0);

    Outcome o = outcome(decider.onFailure(List.of(d), PERMANENT, T0));

    assertThat(o.rescheduled()).isEmpty();
    assertThat(o.next()).isEmpty();
    assertThat(o.giveUps()).containsExactly(new GiveUp(List.of(d.failedAttempt(T0, "HTTP 400")),
        "refused for good after 1 attempt: HTTP 400"));
  }

  @Test
  void aPermanentFailureAfterRetriesCountsEveryAttempt() {
    assertThat(outcome(decider.onFailure(List.of(failed(delivery(T0), 2)), PERMANENT, T0)).giveUps())
        .extracting(GiveUp::reason).containsExactly("refused for good after 3 attempts: HTTP 400");
  }

  @Test
  void aPermanentFailureOfABatchIsolatesItsEvents() {
    assertThat(decider.onFailure(List.of(delivery(T0), delivery(T0)), PERMANENT, T0)).isInstanceOf(Isolate.class);
  }

  @Test
  void aPermanentFailureFromTheSinksExceptionIsPermanent() {
    AttemptFailure f = AttemptFailure.of(DeliveryException.permanent("entry too large"));

    assertThat(f).isEqualTo(new AttemptFailure("entry too large", false, null));
    assertThat(decider.onFailure(List.of(delivery(T0), delivery(T0)), f, T0)).isInstanceOf(Isolate.class);
  }

  @Test
  void aRuntimeExceptionFromTheSinkIsRetryable() {
    AttemptFailure f = AttemptFailure.unexpected(new IllegalStateException("connection reset"));

    assertThat(f.message()).isEqualTo("IllegalStateException: connection reset");
    assertThat(outcome(decider.onFailure(List.of(delivery(T0)), f, T0)).rescheduled()).hasSize(1);
  }

  @Test
  void aSinkThatCouldNotBeCreatedIsRetryable() {
    AttemptFailure f = AttemptFailure.sinkNotCreated(new IllegalArgumentException());

    assertThat(f.message()).isEqualTo("sink could not be created: IllegalArgumentException");
    assertThat(outcome(decider.onFailure(List.of(delivery(T0)), f, T0)).rescheduled()).hasSize(1);
  }

  @Test
  void aFailureNeedsADelivery() {
    assertThatThrownBy(() -> decider.onFailure(List.of(), RETRYABLE, T0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void expireSplitsTheAgedFromTheLiveKeepingTheirAttemptsAndLastError() {
    QueuedDelivery tried = failed(delivery(T0), 2);
    QueuedDelivery waited = delivery(T0);
    QueuedDelivery young = delivery(T0.plusSeconds(1));

    Expiry e = decider.expire(List.of(tried, waited, young), T0.plus(MAX_AGE));

    assertThat(e.none()).isFalse();
    assertThat(e.live()).containsExactly(young);
    assertThat(e.aged()).containsExactly(new GiveUp(List.of(tried), "aged out after 2 attempts: HTTP 503"),
        new GiveUp(List.of(waited), "aged out after 0 attempts: never attempted"));
    assertThat(decider.deadline(young)).isEqualTo(T0.plus(MAX_AGE).plusSeconds(1));
    assertThat(decider.agedOut(young, T0.plus(MAX_AGE))).isFalse();
    assertThat(decider.agedOut(waited, T0.plus(MAX_AGE))).isTrue();
  }

  @Test
  void expireWithNothingAgedKeepsEveryDelivery() {
    List<QueuedDelivery> batch = List.of(delivery(T0), delivery(T0));

    Expiry e = decider.expire(batch, T0.plus(MAX_AGE).minusMillis(1));

    assertThat(e.none()).isTrue();
    assertThat(e.live()).isSameAs(batch);
  }

  @Test
  void aMissingSinkGivesUpNamingTheArtifactToAdd() {
    List<QueuedDelivery> batch = List.of(delivery(T0));

    assertThat(decider.missingSink(batch, "no sink for kind 'gcp': add io.auditstream:sink-gcp-logging"))
        .isEqualTo(new GiveUp(batch, "cannot be delivered: no sink for kind 'gcp': add io.auditstream:sink-gcp-logging"));
  }

  @Test
  void aDestinationThatStaysDownIsProbedOnTheScheduleUntilTheDeliveryAgesOut() {
    QueuedDelivery d = delivery(T0);
    Instant now = T0;
    List<Duration> waits = new ArrayList<>();
    List<GiveUp> gaveUp = List.of();
    while (gaveUp.isEmpty()) {
      Outcome o = outcome(decider.onFailure(List.of(d), RETRYABLE, now));
      if (o.next().isPresent()) {
        waits.add(o.next().get().delay());
        now = o.next().get().at();
        d = o.rescheduled().get(0);
      }
      gaveUp = o.giveUps();
    }

    // Attempts at 0 s, 1 s, 6 s, then every minute from 66 s; the one at 3546 s would be followed by one
    // at 3606 s, past the hour: the 62nd attempt is the last.
    assertThat(waits).hasSize(61).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1));
    assertThat(waits.subList(2, 61)).containsOnly(Duration.ofMinutes(1));
    assertThat(now).isEqualTo(T0.plusSeconds(3546));
    assertThat(gaveUp).extracting(GiveUp::reason).containsExactly("aged out after 62 attempts: HTTP 503");
  }
}
