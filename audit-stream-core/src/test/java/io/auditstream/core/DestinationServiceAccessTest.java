package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static io.auditstream.core.ServiceFixture.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.Actor;
import io.auditstream.api.Namespace;
import io.auditstream.api.NotFoundException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class DestinationServiceAccessTest {
  private final ServiceFixture f = new ServiceFixture();

  /** Every call that names a destination, as the given actor. */
  private Map<String, BiConsumer<Actor, DestinationId>> callsById() {
    DestinationService s = f.service;
    Map<String, BiConsumer<Actor, DestinationId>> calls = new LinkedHashMap<>();
    calls.put("get", s::get);
    calls.put("update", (a, id) -> s.update(a, id, DestinationUpdate.builder().name("renamed").build()));
    calls.put("delete", s::delete);
    calls.put("updateConfig", (a, id) -> s.updateConfig(a, id, HttpDestinationConfig.class,
        c -> c.toBuilder().header(HttpHeader.of("X-New", "v")).build()));
    calls.put("setEventTypeFilter", (a, id) -> s.setEventTypeFilter(a, id, Set.of("user_created")));
    calls.put("clearEventTypeFilter", s::clearEventTypeFilter);
    calls.put("setNamespaceFilter", (a, id) -> s.setNamespaceFilter(a, id, Set.of(Namespace.group("acme/sub"))));
    calls.put("clearNamespaceFilter", s::clearNamespaceFilter);
    calls.put("verificationToken", s::verificationToken);
    calls.put("status", s::status);
    calls.put("sendTestEvent", s::sendTestEvent);
    calls.put("deadLetters", (a, id) -> s.deadLetters(a, id, 10));
    calls.put("redeliver", (a, id) -> s.redeliver(a, id, java.util.List.of("event-1")));
    calls.put("redeliverSince", (a, id) -> s.redeliverSince(a, id, java.time.Instant.EPOCH));
    return calls;
  }

  private Destination destinationWithHeader() {
    return f.service.create(OWNER, GROUP, DestinationDraft.builder(
        HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
            .header("X-Old", "v").build()).build());
  }

  @Test
  void refusesEveryCallByANonOwnerAndChangesNothing() {
    Destination d = destinationWithHeader();
    int savedBefore = f.delivery.saved.size();

    callsById().forEach((name, call) -> assertThatThrownBy(() -> call.accept(STRANGER, d.id()))
        .as(name)
        .isInstanceOf(NotFoundException.class)
        .hasMessage("no destination with id '" + d.id() + "'"));

    assertThat(f.store.find(d.id()).map(Destination::redacted)).contains(d.redacted());
    assertThat(f.delivery.saved).hasSize(savedBefore);
    assertThat(f.delivery.deleted).isEmpty();
    assertThat(f.delivery.direct).isEmpty();
  }

  @Test
  void acceptsEveryCallByTheOwner() {
    callsById().forEach((name, call) -> {
      Destination d = destinationWithHeader();
      call.accept(OWNER, d.id());
      if (!name.equals("delete")) {
        f.service.delete(OWNER, d.id());
      }
    });
    assertThat(f.store.findAll()).isEmpty();
  }

  @Test
  void refusesCreateAndListByANonOwner() {
    assertThatThrownBy(() -> f.service.create(STRANGER, GROUP, DestinationDraft.http("https://a.example.com").build()))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("'acme'");
    assertThatThrownBy(() -> f.service.list(STRANGER, GROUP)).isInstanceOf(AccessDeniedException.class);
    assertThat(f.store.findAll()).isEmpty();
  }

  @Test
  void checksOwnershipOfTopLevelGroupWhenCreatingInSubgroup() {
    assertThatThrownBy(() -> f.service.create(STRANGER, "acme/sub", DestinationDraft.http("https://a.example.com").build()))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("'acme'");
  }

  @Test
  void ownerOfOneGroupCannotManageAnothersDestinations() {
    Destination d = f.createHttp("https://a.example.com");
    Actor onlyOther = Actor.of("bob");
    DestinationService bobs = new DestinationService(f.store, (a, g) -> a.equals(onlyOther) && g.equals("globex"),
        io.auditstream.api.spi.EventTypeCatalog.anyType(),
        SinkProviders.of(java.util.List.of(new ServiceFixture.TestProvider(
            io.auditstream.api.destination.HttpDestinationConfig.DESTINATION_KIND)), getClass().getClassLoader()),
        f.delivery, 5, f.clock, io.auditstream.api.sink.SinkContext.defaults());

    assertThatThrownBy(() -> bobs.get(onlyOther, d.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> bobs.delete(onlyOther, d.id())).isInstanceOf(NotFoundException.class);
    assertThat(f.store.find(d.id())).isPresent();
  }

  @Test
  void reportsUnknownIdAsNotFoundForEveryCall() {
    DestinationId unknown = DestinationId.of("does-not-exist");

    callsById().forEach((name, call) -> assertThatThrownBy(() -> call.accept(OWNER, unknown))
        .as(name)
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("does-not-exist"));
  }
}
