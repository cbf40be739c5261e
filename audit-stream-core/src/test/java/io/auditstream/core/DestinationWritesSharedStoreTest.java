package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ConflictException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.ServiceFixture.RecordingDelivery;
import io.auditstream.core.ServiceFixture.TestProvider;
import io.auditstream.core.fixtures.SharedStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Destination management in two processes that share one store: the group's rules hold across them,
 * because each change is one atomic change of the group in the store, and the delivery side hears of a
 * change only once it is committed.
 */
class DestinationWritesSharedStoreTest {
  private final SharedStore store = new SharedStore();
  private final RecordingDelivery firstDelivery = new RecordingDelivery();
  private final RecordingDelivery secondDelivery = new RecordingDelivery();

  private DestinationService service(RecordingDelivery delivery, int maxPerKind) {
    return new DestinationService(store, (actor, group) -> actor.equals(ServiceFixture.OWNER),
        EventTypeCatalog.anyType(), SinkProviders.of(List.of(new TestProvider(HttpDestinationConfig.DESTINATION_KIND)),
            getClass().getClassLoader()), delivery, maxPerKind, Clock.systemUTC(), SinkContext.defaults());
  }

  /** Runs both creates at once; returns what each did: the destination, or the exception. */
  private List<Object> race(DestinationService first, DestinationDraft firstDraft, DestinationService second,
      DestinationDraft secondDraft) throws Exception {
    // Reads of the group are slow, so that checks that were not serialised by the store would overlap.
    store.groupReadMillis = 100;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    // A thread per call: the common pool may run them one after the other.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    for (Object[] call : List.of(new Object[] {first, firstDraft}, new Object[] {second, secondDraft})) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await(10, TimeUnit.SECONDS);
          return ((DestinationService) call[0]).create(ServiceFixture.OWNER, "acme", (DestinationDraft) call[1]);
        } catch (RuntimeException e) {
          return e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return e;
        }
      }, threads));
    }
    go.countDown();
    List<Object> outcomes = new ArrayList<>();
    try {
      for (CompletableFuture<Object> c : calls) {
        outcomes.add(c.get(20, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }
    return outcomes;
  }

  @Test
  void racingCreatesOfOneNameThroughTwoProcessesLeaveExactlyOne() throws Exception {
    List<Object> outcomes = race(service(firstDelivery, 5),
        DestinationDraft.http("https://one.example.com").name("siem").build(), service(secondDelivery, 5),
        DestinationDraft.http("https://two.example.com").name("siem").build());

    assertThat(outcomes).filteredOn(Destination.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(ConflictException.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((ConflictException) e).getMessage()).contains("name must be unique"));
    assertThat(store.findByGroup("acme")).hasSize(1);
    assertThat(firstDelivery.saved.size() + secondDelivery.saved.size()).isOne();
  }

  @Test
  void racingCreatesBeyondTheLimitPerKindThroughTwoProcessesLeaveExactlyOne() throws Exception {
    List<Object> outcomes = race(service(firstDelivery, 1),
        DestinationDraft.http("https://one.example.com").name("one").build(), service(secondDelivery, 1),
        DestinationDraft.http("https://two.example.com").name("two").build());

    assertThat(outcomes).filteredOn(Destination.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(ConflictException.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((ConflictException) e).getMessage()).contains("at most 1 allowed"));
    assertThat(store.findByGroup("acme")).hasSize(1);
  }

  @Test
  void aChangeWhoseCommitFailsIsToldToNobodyAndKeepsNothing() {
    DestinationService service = service(firstDelivery, 5);
    Destination kept = service.create(ServiceFixture.OWNER, "acme",
        DestinationDraft.http("https://one.example.com").name("kept").build());
    firstDelivery.saved.clear();

    store.failNextCommit.set(true);
    assertThatThrownBy(() -> service.create(ServiceFixture.OWNER, "acme",
        DestinationDraft.http("https://two.example.com").name("lost").build())).hasMessage("commit failed");
    store.failNextCommit.set(true);
    assertThatThrownBy(() -> service.pause(ServiceFixture.OWNER, kept.id(), "maintenance"))
        .hasMessage("commit failed");
    store.failNextCommit.set(true);
    assertThatThrownBy(() -> service.delete(ServiceFixture.OWNER, kept.id())).hasMessage("commit failed");

    assertThat(firstDelivery.saved).isEmpty();
    assertThat(firstDelivery.deleted).isEmpty();
    assertThat(store.findByGroup("acme")).containsExactly(kept);
  }
}
