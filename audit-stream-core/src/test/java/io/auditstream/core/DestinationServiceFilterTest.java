package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Namespace;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationServiceFilterTest {
  private final ServiceFixture f = new ServiceFixture();
  private final Destination d = f.createHttp("https://a.example.com");

  @Test
  void setsAndClearsEventTypeFilter() {
    Destination filtered = f.service.setEventTypeFilter(OWNER, d.id(), Set.of("user_created", "group_renamed"));
    assertThat(filtered.eventTypeFilter()).containsExactly("group_renamed", "user_created");
    assertThat(filtered.filtered()).isTrue();

    Destination cleared = f.service.clearEventTypeFilter(OWNER, d.id());
    assertThat(cleared.eventTypeFilter()).isEmpty();
    assertThat(f.store.find(d.id()).orElseThrow().filtered()).isFalse();
  }

  @Test
  void emptyEventTypeSetClearsTheFilter() {
    f.service.setEventTypeFilter(OWNER, d.id(), Set.of("user_created"));

    assertThat(f.service.setEventTypeFilter(OWNER, d.id(), Set.of()).eventTypeFilter()).isEmpty();
  }

  @Test
  void rejectsEventTypesMissingFromCatalogNamingThem() {
    f.service.setEventTypeFilter(OWNER, d.id(), Set.of("user_created"));

    assertThatThrownBy(() -> f.service.setEventTypeFilter(OWNER, d.id(),
        Set.of("user_created", "no_such_type", "made_up")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("eventTypeFilter"))
        .hasMessageContaining("made_up, no_such_type")
        .hasMessageNotContaining("user_created");
    assertThat(f.store.find(d.id()).orElseThrow().eventTypeFilter()).containsExactly("user_created");
  }

  @Test
  void rejectsUnknownEventTypeWhenCreating() {
    DestinationDraft draft = DestinationDraft.http("https://b.example.com").eventTypeFilter(List.of("bogus")).build();

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, draft))
        .isInstanceOf(ValidationException.class).hasMessageContaining("bogus");
    assertThat(f.store.findAll()).containsExactly(d);
  }

  @Test
  void acceptsSubgroupAndProjectInNamespaceFilter() {
    Set<Namespace> filter = Set.of(Namespace.group("acme/sub"), Namespace.project("acme/sub/app"));

    Destination u = f.service.setNamespaceFilter(OWNER, d.id(), filter);

    assertThat(u.namespaceFilter()).containsExactlyInAnyOrderElementsOf(filter);
    assertThat(f.service.clearNamespaceFilter(OWNER, d.id()).namespaceFilter()).isEmpty();
  }

  @Test
  void rejectsNamespaceOfAnotherGroup() {
    assertThatThrownBy(() -> f.service.setNamespaceFilter(OWNER, d.id(), Set.of(Namespace.group("globex/sub"))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("namespaceFilter"))
        .hasMessageContaining("globex/sub");
    assertThatThrownBy(() -> f.service.setNamespaceFilter(OWNER, d.id(), Set.of(Namespace.project("acmeX/app"))))
        .isInstanceOf(ValidationException.class);
    assertThat(f.store.find(d.id()).orElseThrow().namespaceFilter()).isEmpty();
  }

  @Test
  void rejectsTheGroupItselfInNamespaceFilter() {
    assertThatThrownBy(() -> f.service.setNamespaceFilter(OWNER, d.id(), Set.of(Namespace.group(GROUP))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("namespaceFilter"));
  }

  @Test
  void toldDeliverySideAboutFilterChange() {
    Destination u = f.service.setNamespaceFilter(OWNER, d.id(), Set.of(Namespace.group("acme/sub")));

    assertThat(f.delivery.saved).last().extracting(Destination::redacted).isEqualTo(u);
  }
}
