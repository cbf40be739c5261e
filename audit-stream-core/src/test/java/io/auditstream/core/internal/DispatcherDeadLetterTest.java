package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.START;
import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dead letters: made, reported, listed, redelivered. */
class DispatcherDeadLetterTest {
  private final DispatcherFixture f = new DispatcherFixture();
  private final Destination d = destination("acme", "siem").build();
  private final AtomicBoolean refusing = new AtomicBoolean(true);

  @AfterEach
  void close() {
    f.close();
  }

  /** Starts with a sink that refuses every event for good while {@link #refusing} is set. */
  private void startRefusing() {
    f.sinks.behave(d.id(), batch -> {
      if (refusing.get()) {
        throw DeliveryException.permanent("HTTP 422 Unprocessable");
      }
    });
    f.start(d);
  }

  @Test
  void aDeadLetterKeepsTheEventAsItWouldBeSentAndIsReportedOnce() {
    startRefusing();
    AuditEvent e = groupEvent("acme");

    f.dispatcher.stream(e);
    assertThat(f.flush()).isTrue();

    DeadLetter dl = f.dispatcher.deadLetters(d.id(), 10).get(0);
    assertThat(dl.destinationId()).isEqualTo(d.id());
    assertThat(dl.event().event()).isEqualTo(e);
    assertThat(dl.event().json()).isEqualTo(f.sinks.attempts(d.id()).get(0).get(0).json());
    assertThat(dl.enqueuedAt()).isEqualTo(START);
    assertThat(dl.deadAt()).isEqualTo(START);
    assertThat(f.listener.deadLetters).containsExactly(dl);
  }

  @Test
  void redeliveredDeadLettersAreDeliveredAgainWithTheirIdsAndTheOthersStay() {
    startRefusing();
    List<AuditEvent> events = List.of(groupEvent("acme/1"), groupEvent("acme/2"), groupEvent("acme/3"));
    events.forEach(f.dispatcher::stream);
    assertThat(f.flush()).isTrue();
    assertThat(f.dispatcher.status(d.id()).deadLetters()).isEqualTo(3);
    refusing.set(false);

    int n = f.dispatcher.redeliver(d.id(), List.of(events.get(0).id(), events.get(2).id(), "not-a-dead-letter"));

    assertThat(n).isEqualTo(2);
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(x -> x.event().id())
        .containsExactly(events.get(0).id(), events.get(2).id());
    assertThat(f.dispatcher.deadLetters(d.id(), 10)).extracting(DeadLetter::eventId).containsExactly(events.get(1).id());
    assertThat(f.dispatcher.status(d.id()).delivered()).isEqualTo(2);
  }

  @Test
  void redeliverSinceTakesTheDeadLettersGivenUpOnSinceThen() {
    startRefusing();
    AuditEvent early = groupEvent("acme/early");
    f.dispatcher.stream(early);
    assertThat(f.flush()).isTrue();
    f.clock.advance(Duration.ofMinutes(10));
    AuditEvent late = groupEvent("acme/late");
    f.dispatcher.stream(late);
    assertThat(f.flush()).isTrue();
    refusing.set(false);

    assertThat(f.dispatcher.redeliverSince(d.id(), START.plus(Duration.ofMinutes(5)))).isOne();

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(x -> x.event().id()).containsExactly(late.id());
    assertThat(f.dispatcher.deadLetters(d.id(), 10)).extracting(DeadLetter::eventId).containsExactly(early.id());
    assertThat(f.dispatcher.redeliverSince(d.id(), START.plus(Duration.ofDays(1)))).isZero();
  }

  @Test
  void aListenerThatThrowsIsLoggedAndIgnored() {
    f.listener.failWith = new IllegalStateException("listener broke");
    AtomicBoolean first = new AtomicBoolean(true);
    f.sinks.behave(d.id(), batch -> {
      if (first.getAndSet(false)) {
        throw DeliveryException.permanent("HTTP 400");
      }
    });
    f.start(d);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      f.dispatcher.stream(groupEvent("acme/refused"));
      f.dispatcher.stream(groupEvent("acme/next"));
      assertThat(f.flush()).isTrue();
    } finally {
      System.setErr(originalErr);
    }

    assertThat(f.listener.deadLetters).hasSize(1);
    assertThat(f.dispatcher.status(d.id()).deadLetters()).isOne();
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().entityPath()).containsExactly("acme/next");
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Delivery listener onDeadLetter failed")
        .contains("listener broke");
  }

  @Test
  void deadLettersAreLoggedWithTheirEventIds() {
    startRefusing();
    AuditEvent e = groupEvent("acme");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      f.dispatcher.stream(e);
      assertThat(f.flush()).isTrue();
    } finally {
      System.setErr(originalErr);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("gave up on 1 event(s)").contains(e.id())
        .contains("refused for good after 1 attempt: HTTP 422 Unprocessable");
  }

  @Test
  void submitCompletesOnceTheDeliveriesAreStoredAndFailsOnceClosed() throws Exception {
    f.start(d);

    var stored = f.dispatcher.submit(groupEvent("acme"));
    var nowhere = f.dispatcher.submit(groupEvent("no-destination"));

    assertThat(stored.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    assertThat(nowhere.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).hasSize(1);
    f.dispatcher.close(Duration.ofSeconds(1));
    AuditEvent late = groupEvent("acme");
    assertThat(f.dispatcher.submit(late)).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOf(io.auditstream.api.AuditStreamException.class)
        .withMessage("audit streamer is closed: event " + late.id() + " was not accepted");
    assertThat(f.dispatcher.stats().refusedClosed()).isOne();
  }

  @Test
  void submitWaitsForTheQueueToStoreTheDeliveriesAndFailsWhenIngressIsFull() throws Exception {
    BlockingOfferQueue slow = new BlockingOfferQueue();
    DispatcherFixture g = new DispatcherFixture(DispatcherFixture.FAST_RETRIES, slow, 1);
    try {
      g.start(d);
      var first = g.dispatcher.submit(groupEvent("acme"));
      assertThat(slow.offering.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      var second = g.dispatcher.submit(groupEvent("acme"));
      AuditEvent third = groupEvent("acme");
      var refused = g.dispatcher.submit(third);

      assertThat(refused).failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOf(io.auditstream.api.AuditStreamException.class)
          .withMessage("the audit event queue is full (1 events): event " + third.id() + " was not accepted");
      assertThat(first).isNotDone();
      slow.gate.countDown();
      assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
      assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
      assertThat(g.flush()).isTrue();
      assertThat(g.sinks.delivered(d.id())).extracting(EncodedEvent::event).hasSize(2);
      assertThat(g.dispatcher.stats().refusedFull()).isOne();
      assertThat(g.dispatcher.stats().accepted()).isEqualTo(2);
    } finally {
      slow.gate.countDown();
      g.close();
    }
  }
}
