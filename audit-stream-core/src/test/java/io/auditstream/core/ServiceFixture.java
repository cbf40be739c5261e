package io.auditstream.core;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DestinationService} over an in-memory store, with recording fakes around it. */
final class ServiceFixture {
  static final Actor OWNER = Actor.of("alice");
  static final Actor STRANGER = Actor.of("mallory");
  static final String GROUP = "acme";
  static final String OTHER_GROUP = "globex";
  static final String CUSTOM_KIND = "webhook-x";
  static final Set<String> KNOWN_TYPES = Set.of("user_created", "project_deleted", "group_renamed");

  final InMemoryDestinationStore store = new InMemoryDestinationStore();
  final RecordingDelivery delivery = new RecordingDelivery();
  final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
  final DestinationService service;

  ServiceFixture() {
    this(5);
  }

  ServiceFixture(int maxPerKind) {
    AccessPolicy access = (actor, group) -> actor.equals(OWNER) && (group.equals(GROUP) || group.equals(OTHER_GROUP));
    service = new DestinationService(store, access, EventTypeCatalog.of(KNOWN_TYPES),
        SinkProviders.of(List.of(new TestProvider(HttpDestinationConfig.DESTINATION_KIND), new TestProvider(
            new TestKind(CUSTOM_KIND))), ServiceFixture.class.getClassLoader()), delivery, maxPerKind, clock,
        io.auditstream.api.sink.SinkContext.defaults());
  }

  Destination createHttp(String url) {
    return service.create(OWNER, GROUP, DestinationDraft.http(url).build());
  }

  Destination createHttpIn(String groupPath) {
    return service.create(OWNER, groupPath, DestinationDraft.http("https://sub.example.com").build());
  }

  Destination createCustom() {
    return service.create(OWNER, GROUP, DestinationDraft.builder(
        TestConfig.withKey(CUSTOM_KIND, "queue-1", "super-secret-api-key")).build());
  }

  /** A provider that accepts every config of its kind. */
  static class TestProvider implements SinkProvider {
    private final DestinationKind<?> kind;

    TestProvider(DestinationKind<?> kind) {
      this.kind = kind;
    }

    @Override
    public DestinationKind<?> destinationKind() {
      return kind;
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return batch -> {};
    }
  }

  /** Records what destination management tells the delivery side. */
  static final class RecordingDelivery implements DeliveryControl {
    final List<Destination> saved = new CopyOnWriteArrayList<>();
    final List<Destination> deleted = new CopyOnWriteArrayList<>();
    final List<AuditEvent> direct = new CopyOnWriteArrayList<>();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    final List<String> redelivered = new CopyOnWriteArrayList<>();
    final List<Instant> redeliveredSince = new CopyOnWriteArrayList<>();
    volatile boolean queueFull;
    volatile boolean failing;

    @Override
    public void destinationSaved(Destination destination) {
      if (failing) {
        throw new IllegalStateException("delivery side is down");
      }
      saved.add(destination);
    }

    @Override
    public void destinationDeleted(Destination destination) {
      deleted.add(destination);
    }

    @Override
    public DestinationStatus status(DestinationId id) {
      return new DestinationStatus(id, 3, 7, 1, 0, 2, 0, java.util.Optional.empty(), java.util.Optional.empty(),
          java.util.Optional.empty());
    }

    @Override
    public boolean enqueueDirect(Destination destination, AuditEvent event) {
      if (queueFull) {
        return false;
      }
      direct.add(event);
      return true;
    }

    @Override
    public List<DeadLetter> deadLetters(DestinationId id, int limit) {
      return deadLetters.stream().filter(d -> d.destinationId().equals(id)).limit(limit).toList();
    }

    @Override
    public int redeliver(DestinationId id, Collection<String> eventIds) {
      redelivered.addAll(eventIds);
      return (int) deadLetters.stream().filter(d -> d.destinationId().equals(id) && eventIds.contains(d.eventId()))
          .count();
    }

    @Override
    public int redeliverSince(DestinationId id, Instant since) {
      redeliveredSince.add(since);
      return (int) deadLetters.stream().filter(d -> d.destinationId().equals(id) && !d.deadAt().isBefore(since))
          .count();
    }
  }
}
