package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ConflictException;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.NotFoundException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.auditstream.core.fixtures.TestConfig;
import org.junit.jupiter.api.Test;

class DestinationServiceLifecycleTest {
  private final ServiceFixture f = new ServiceFixture();

  @Test
  void deletingLastDestinationTurnsStreamingOff() {
    assertThat(f.service.streamingEnabled(GROUP)).isFalse();
    Destination a = f.createHttp("https://a.example.com");
    Destination b = f.createHttp("https://b.example.com");
    assertThat(f.service.streamingEnabled(GROUP)).isTrue();
    assertThat(f.service.streamingEnabled("acme/sub")).isTrue();

    f.service.delete(OWNER, a.id());
    assertThat(f.service.streamingEnabled(GROUP)).isTrue();
    f.service.delete(OWNER, b.id());

    assertThat(f.service.streamingEnabled(GROUP)).isFalse();
    assertThat(f.delivery.deleted).containsExactly(a, b);
  }

  @Test
  void deletingTwiceReportsNotFound() {
    Destination a = f.createHttp("https://a.example.com");
    f.service.delete(OWNER, a.id());

    assertThatThrownBy(() -> f.service.delete(OWNER, a.id())).isInstanceOf(NotFoundException.class);
    assertThat(f.delivery.deleted).hasSize(1);
  }

  @Test
  void listsGroupDestinationsOldestFirstWithSecretsRedacted() {
    Destination http = f.createHttp("https://a.example.com");
    Destination custom = f.createCustom();

    List<Destination> listed = f.service.list(OWNER, GROUP);

    assertThat(listed).extracting(Destination::id).containsExactlyInAnyOrder(http.id(), custom.id());
    TestConfig shown = (TestConfig) listed.stream()
        .filter(d -> d.id().equals(custom.id())).findFirst().orElseThrow().config();
    assertThat(shown.apiKey().isSet()).isTrue();
    assertThat(shown.apiKey().isPresent()).isFalse();
    assertThat(shown.endpoint()).isEqualTo("queue-1");
    TestConfig got = (TestConfig) f.service.get(OWNER, custom.id()).config();
    assertThat(got.apiKey().value()).isEmpty();
    assertThat(((TestConfig) f.store.find(custom.id()).orElseThrow().config())
        .apiKey().get().reveal()).isEqualTo("super-secret-api-key");
  }

  @Test
  void ownerReadsTheVerificationTokenThroughItsOwnCallNotInListings() {
    Destination d = f.service.create(OWNER, GROUP, DestinationDraft.http("https://a.example.com")
        .verificationToken("owner-chosen-token-1").build());

    assertThat(f.service.verificationToken(OWNER, d.id()).reveal()).isEqualTo("owner-chosen-token-1");
    assertThat(f.service.get(OWNER, d.id()).verificationToken()).isEmpty();
    assertThat(f.service.list(OWNER, GROUP)).allSatisfy(listed -> assertThat(listed.verificationToken()).isEmpty());
  }

  @Test
  void neverShowsSecretsInToString() {
    Destination d = f.createCustom();
    Destination stored = f.store.find(d.id()).orElseThrow();
    String token = stored.verificationToken().orElseThrow().reveal();

    assertThat(stored.toString()).doesNotContain(token).doesNotContain("super-secret-api-key").contains("apiKey=****");
    assertThat(stored.verificationToken().orElseThrow().toString()).isEqualTo("****");
  }

  @Test
  void statusComesFromDeliverySide() {
    Destination d = f.createHttp("https://a.example.com");

    assertThat(f.service.status(OWNER, d.id()).delivered()).isEqualTo(7);
  }

  @Test
  void sendsTestEventToTheDestinationAlone() {
    Destination d = f.createHttp("https://a.example.com");

    String id = f.service.sendTestEvent(OWNER, d.id());

    assertThat(f.delivery.direct).hasSize(1);
    AuditEvent e = f.delivery.direct.get(0);
    assertThat(e.id()).isEqualTo(id);
    assertThat(e.eventType()).isEqualTo("audit_stream_test_event");
    assertThat(e.entityType()).isEqualTo(EntityType.GROUP);
    assertThat(e.entityPath()).isEqualTo(GROUP);
    assertThat(e.namespace()).contains(Namespace.group(GROUP));
    assertThat(e.details()).containsKey("custom_message");
    assertThat(e.createdAt()).isEqualTo(f.clock.instant());
  }

  @Test
  void reportsTestEventRefusedByFullQueue() {
    Destination d = f.createHttp("https://a.example.com");
    f.delivery.queueFull = true;

    assertThatThrownBy(() -> f.service.sendTestEvent(OWNER, d.id()))
        .isInstanceOf(AuditStreamException.class).hasMessageContaining("queue is full");
  }

  @Test
  void rejectedCallsLeaveStoreAndDeliverySideUnchanged() {
    Destination a = f.createHttp("https://a.example.com");
    f.createHttp("https://b.example.com");
    List<Destination> before = f.store.findAll();
    int savedBefore = f.delivery.saved.size();

    assertThatThrownBy(() -> f.createHttp("https://a.example.com")).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> f.service.setEventTypeFilter(OWNER, a.id(), java.util.Set.of("nope")))
        .isInstanceOf(AuditStreamException.class);
    assertThatThrownBy(() -> f.service.update(OWNER, a.id(), io.auditstream.api.destination.DestinationUpdate
        .builder().config(io.auditstream.api.destination.HttpDestinationConfig.of("https://b.example.com")).build()))
        .isInstanceOf(ConflictException.class);

    assertThat(f.store.findAll()).isEqualTo(before);
    assertThat(f.delivery.saved).hasSize(savedBefore);
  }

  @Test
  void keepsSavedChangeWhenDeliverySideFailsToTakeNote() {
    f.delivery.failing = true;

    Destination d = f.createHttp("https://a.example.com");

    assertThat(f.store.find(d.id())).contains(d);
  }

  @Test
  void concurrentCreatesWithSameUrlLeaveExactlyOne() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await(5, TimeUnit.SECONDS);
          try {
            f.createHttp("https://same.example.com");
            return true;
          } catch (ConflictException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int created = 0;
      for (Future<Boolean> r : results) {
        created += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
      assertThat(f.store.findByGroup(GROUP)).hasSize(1);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
