package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.event;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.fixtures.ForwardingDeliveryQueue;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherRoutingTest {
  private final DispatcherFixture f = new DispatcherFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private List<String> deliveredPaths(Destination d) {
    return f.sinks.delivered(d.id()).stream().map(e -> e.event().entityPath()).toList();
  }

  @Test
  void deliversGroupSubgroupAndProjectEventsToTheTopLevelGroupsDestinationOnly() {
    Destination acme = destination("acme", "siem").build();
    Destination other = destination("other", "siem").build();
    f.start(acme, other);

    assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    assertThat(f.dispatcher.stream(groupEvent("acme/sub"))).isTrue();
    assertThat(f.dispatcher.stream(event("project_created", EntityType.PROJECT, "acme/sub/app"))).isTrue();
    assertThat(f.flush()).isTrue();

    assertThat(deliveredPaths(acme)).containsExactly("acme", "acme/sub", "acme/sub/app");
    assertThat(f.sinks.delivered(other.id())).isEmpty();
  }

  @Test
  void eventsWithoutNamespaceGoNowhere() {
    Destination acme = destination("acme", "siem").build();
    f.start(acme);

    AuditEvent userEvent = event("user_blocked", EntityType.USER, "alice");

    assertThat(f.dispatcher.stream(userEvent)).isTrue();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(acme.id())).isEmpty();
    assertThat(f.dispatcher.droppedCount()).isZero();
  }

  @Test
  void userEventWithExplicitNamespaceReachesItsGroup() {
    Destination acme = destination("acme", "siem").build();
    f.start(acme);

    AuditEvent userEvent = AuditEvent.builder().eventType("user_blocked").entity(EntityType.USER, 3L, "alice")
        .namespace(Namespace.project("acme/app")).build();

    assertThat(f.dispatcher.stream(userEvent)).isTrue();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(acme.id())).extracting(EncodedEvent::event).containsExactly(userEvent);
  }

  @Test
  void eventsOfAGroupWithoutActiveDestinationAreDiscardedWithoutCountingADrop() {
    Destination inactive = destination("acme", "siem").active(false).build();
    f.start(inactive);

    assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    assertThat(f.dispatcher.stream(groupEvent("nobody"))).isTrue();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(inactive.id())).isEmpty();
    assertThat(f.queue.size()).isZero();
    assertThat(f.dispatcher.droppedCount()).isZero();
  }

  @Test
  void eventTypeFilterLetsOnlyListedTypesThrough() {
    Destination filtered = destination("acme", "filtered").eventTypeFilter(List.of("user_created")).build();
    Destination all = destination("acme", "all").build();
    f.start(filtered, all);

    f.dispatcher.stream(event("user_created", EntityType.GROUP, "acme"));
    f.dispatcher.stream(event("project_deleted", EntityType.GROUP, "acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.delivered(filtered.id())).extracting(e -> e.event().eventType()).containsExactly("user_created");
    assertThat(f.sinks.delivered(all.id())).extracting(e -> e.event().eventType())
        .containsExactly("user_created", "project_deleted");
  }

  @Test
  void groupNamespaceFilterCoversItsSubgroupsAndProjects() {
    Destination d = destination("acme", "sub-only").namespaceFilter(List.of(Namespace.group("acme/sub"))).build();
    f.start(d);

    f.dispatcher.stream(groupEvent("acme/sub"));
    f.dispatcher.stream(groupEvent("acme/sub/deeper"));
    f.dispatcher.stream(event("project_created", EntityType.PROJECT, "acme/sub/app"));
    f.dispatcher.stream(groupEvent("acme/other"));
    f.dispatcher.stream(groupEvent("acme"));
    f.dispatcher.stream(event("project_created", EntityType.PROJECT, "acme/subway"));
    assertThat(f.flush()).isTrue();

    assertThat(deliveredPaths(d)).containsExactly("acme/sub", "acme/sub/deeper", "acme/sub/app");
  }

  @Test
  void projectNamespaceFilterCoversOnlyThatProject() {
    Destination d = destination("acme", "app-only").namespaceFilter(List.of(Namespace.project("acme/app"))).build();
    f.start(d);

    f.dispatcher.stream(event("project_created", EntityType.PROJECT, "acme/app"));
    f.dispatcher.stream(event("project_created", EntityType.PROJECT, "acme/app2"));
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(deliveredPaths(d)).containsExactly("acme/app");
  }

  @Test
  void bothFiltersMustPass() {
    Destination d = destination("acme", "both").eventTypeFilter(List.of("user_created"))
        .namespaceFilter(List.of(Namespace.group("acme/sub"))).build();
    f.start(d);

    f.dispatcher.stream(event("user_created", EntityType.GROUP, "acme/sub"));
    f.dispatcher.stream(event("user_deleted", EntityType.GROUP, "acme/sub"));
    f.dispatcher.stream(event("user_created", EntityType.GROUP, "acme/other"));
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().eventType() + "@" + e.event().entityPath())
        .containsExactly("user_created@acme/sub");
  }

  @Test
  void inactiveDestinationGetsNothingWhileItsActiveSiblingDoes() {
    Destination inactive = destination("acme", "off").active(false).build();
    Destination active = destination("acme", "on").build();
    f.start(inactive, active);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.delivered(active.id())).hasSize(1);
    assertThat(f.sinks.attempts(inactive.id())).isEmpty();
    assertThat(f.dispatcher.status(inactive.id()).pending()).isZero();
  }

  @Test
  void everyDestinationReceivesTheSameEncodedPayload() {
    Destination a = destination("acme", "a").build();
    Destination b = destination("acme", "b").build();
    f.start(a, b);
    AuditEvent e = groupEvent("acme");

    f.dispatcher.stream(e);
    assertThat(f.flush()).isTrue();

    byte[] expected = AuditEventJson.encode(e);
    assertThat(f.sinks.delivered(a.id())).singleElement().satisfies(x -> assertThat(x.json()).isEqualTo(expected));
    assertThat(f.sinks.delivered(b.id())).singleElement().satisfies(x -> assertThat(x.json()).isEqualTo(expected));
  }

  @Test
  void destinationSavedAfterStartIsRoutedTo() {
    f.start();
    Destination later = destination("acme", "later").build();
    f.dispatcher.stream(groupEvent("acme"));

    f.store.save(later);
    f.dispatcher.destinationSaved(later);

    assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(later.id())).hasSize(1);
  }

  @Test
  void aQueueThatFailsToStoreABatchDropsItsDeliveriesReportsThemAndFailsTheSubmitters() throws Exception {
    DispatcherFixture failing = new DispatcherFixture(DispatcherFixture.FAST_RETRIES,
        new ForwardingDeliveryQueue(new io.auditstream.core.queue.InMemoryDeliveryQueue(10)) {
          @Override
          public List<Offer> offer(List<io.auditstream.api.spi.QueuedDelivery> deliveries) {
            throw new IllegalStateException("disk full");
          }
        }, 100);
    try {
      Destination a = destination("acme", "a").build();
      Destination b = destination("acme", "b").build();
      failing.start(a, b);
      AuditEvent e = groupEvent("acme");

      var stored = failing.dispatcher.submit(e);

      assertThat(stored).failsWithin(java.time.Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOf(io.auditstream.api.AuditStreamException.class)
          .withMessageContaining("event " + e.id() + " was not stored: delivery queue failed: IllegalStateException");
      assertThat(failing.flush()).isTrue();
      assertThat(failing.listener.drops).containsExactlyInAnyOrder(
          new RecordingListener.Drop(a.id(), e.id(), "delivery queue failed: IllegalStateException"),
          new RecordingListener.Drop(b.id(), e.id(), "delivery queue failed: IllegalStateException"));
      assertThat(failing.dispatcher.status(a.id()).dropped()).isOne();
      assertThat(failing.dispatcher.stats().dropped()).isEqualTo(2);
      assertThat(failing.dispatcher.stats().accepted()).isOne();
    } finally {
      failing.close();
    }
  }
}
