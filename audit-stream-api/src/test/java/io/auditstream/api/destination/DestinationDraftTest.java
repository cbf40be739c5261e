package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Namespace;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationDraftTest {
  private static DestinationDraft.Builder draft() {
    return DestinationDraft.http("https://siem.example.com/audit");
  }

  @Test
  void eventTypesGivenAsArgumentsReplaceEarlierOnesAsTheCollectionFormDoes() {
    DestinationDraft given = draft().eventTypeFilter("member_created")
        .eventTypeFilter("project_created", "user_created").build();

    assertThat(given.eventTypeFilter()).containsExactlyInAnyOrder("project_created", "user_created")
        .isEqualTo(draft().eventTypeFilter(List.of("project_created", "user_created")).build().eventTypeFilter());
    assertThat(draft().eventTypeFilter("project_created").eventTypeFilter().build().eventTypeFilter()).isEmpty();
  }

  @Test
  void namespacesGivenAsArgumentsReplaceEarlierOnesAsTheCollectionFormDoes() {
    Namespace platform = Namespace.group("acme/platform");
    Namespace web = Namespace.project("acme/web");

    DestinationDraft given = draft().namespaceFilter(Namespace.group("acme/other"))
        .namespaceFilter(platform, web).build();

    assertThat(given.namespaceFilter()).isEqualTo(Set.of(platform, web))
        .isEqualTo(draft().namespaceFilter(List.of(platform, web)).build().namespaceFilter());
    assertThat(draft().namespaceFilter(web).namespaceFilter().build().namespaceFilter()).isEmpty();
  }

  @Test
  void aNullFilterEntryIsRefusedWhereItIsGiven() {
    assertThatThrownBy(() -> draft().eventTypeFilter("project_created", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> draft().namespaceFilter(Namespace.group("acme/platform"), null))
        .isInstanceOf(NullPointerException.class);
  }
}
