package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationTest {
  private static Destination.Builder base() {
    return Destination.builder()
        .id(DestinationId.of("d1"))
        .groupPath("acme")
        .name("SIEM")
        .verificationToken(Secret.of("abcdefghijklmnop"))
        .config(HttpDestinationConfig.of("https://a.example.com"))
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static AuditEvent group(String type, String path) {
    return AuditEvent.builder().eventType(type).entity(EntityType.GROUP, 1L, path).build();
  }

  private static AuditEvent project(String type, String path) {
    return AuditEvent.builder().eventType(type).entity(EntityType.PROJECT, 1L, path).build();
  }

  @Test
  void withoutFiltersWantsEveryEventOfItsGroupOnly() {
    Destination d = base().build();

    assertThat(d.wants(group("a", "acme"))).isTrue();
    assertThat(d.wants(group("b", "acme/sub"))).isTrue();
    assertThat(d.wants(project("c", "acme/sub/app"))).isTrue();
    assertThat(d.wants(group("a", "globex"))).isFalse();
    assertThat(d.wants(group("a", "acme-two"))).isFalse();
    assertThat(d.wants(AuditEvent.builder().eventType("a").entity(EntityType.USER, 1L, "bob").build())).isFalse();
  }

  @Test
  void inactiveDestinationWantsNothing() {
    assertThat(base().active(false).build().wants(group("a", "acme"))).isFalse();
  }

  @Test
  void eventTypeFilterAloneSelectsByType() {
    Destination d = base().eventTypeFilter(List.of("user_created")).build();

    assertThat(d.wants(group("user_created", "acme/sub"))).isTrue();
    assertThat(d.wants(group("project_deleted", "acme"))).isFalse();
  }

  @Test
  void groupFilterCoversItsSubgroupsAndTheirProjects() {
    Destination d = base().namespaceFilter(List.of(Namespace.group("acme/sub"))).build();

    assertThat(d.wants(group("a", "acme/sub"))).isTrue();
    assertThat(d.wants(group("a", "acme/sub/deeper"))).isTrue();
    assertThat(d.wants(project("a", "acme/sub/deeper/app"))).isTrue();
    assertThat(d.wants(group("a", "acme"))).isFalse();
    assertThat(d.wants(group("a", "acme/subway"))).isFalse();
    assertThat(d.wants(project("a", "acme/other/app"))).isFalse();
  }

  @Test
  void projectFilterCoversOnlyThatProject() {
    Destination d = base().namespaceFilter(List.of(Namespace.project("acme/sub/app"))).build();

    assertThat(d.wants(project("a", "acme/sub/app"))).isTrue();
    assertThat(d.wants(project("a", "acme/sub/app2"))).isFalse();
    assertThat(d.wants(group("a", "acme/sub"))).isFalse();
  }

  @Test
  void bothFiltersMustPass() {
    Destination d = base().eventTypeFilter(List.of("user_created"))
        .namespaceFilter(List.of(Namespace.group("acme/sub"))).build();

    assertThat(d.wants(group("user_created", "acme/sub"))).isTrue();
    assertThat(d.wants(group("other", "acme/sub"))).isFalse();
    assertThat(d.wants(group("user_created", "acme/else"))).isFalse();
    assertThat(d.filtered()).isTrue();
    assertThat(base().build().filtered()).isFalse();
  }

  @Test
  void acceptsNameOf72AndRejects73OrBlank() {
    assertThat(base().name("n".repeat(72)).build().name()).hasSize(72);
    assertThatThrownBy(() -> base().name("n".repeat(73)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> base().name("  ").build()).isInstanceOf(ValidationException.class);
  }

  @Test
  void acceptsTokenOf16To24AndRejectsOthers() {
    assertThat(base().verificationToken(Secret.of("x".repeat(16))).build()).isNotNull();
    assertThat(base().verificationToken(Secret.of("x".repeat(24))).build()).isNotNull();
    for (int n : new int[] {15, 25}) {
      assertThatThrownBy(() -> base().verificationToken(Secret.of("y".repeat(n))).build())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("verificationToken"))
          .hasMessageNotContaining("yyyy");
    }
    assertThatThrownBy(() -> base().verificationToken(Secret.of("has space in it 123")).build())
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void rejectsSubgroupAsOwner() {
    assertThatThrownBy(() -> base().groupPath("acme/sub").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("groupPath"));
  }

  @Test
  void rejectsNamespaceFilterOutsideTheGroupOrTheGroupItself() {
    for (Namespace ns : List.of(Namespace.group("acme"), Namespace.group("globex/sub"), Namespace.project("acme2/app"))) {
      assertThatThrownBy(() -> base().namespaceFilter(List.of(ns)).build())
          .as(ns.toString())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("namespaceFilter"));
    }
  }

  @Test
  void neverShowsTokenOrConfigSecretsInToString() {
    Destination d = base()
        .config(S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE").secretAccessKey("aws-hidden")
            .bucketName("b-bucket").awsRegion("us-east-1").build())
        .build();

    assertThat(d.toString()).doesNotContain("abcdefghijklmnop").doesNotContain("aws-hidden")
        .contains("secretAccessKey=set");
  }

  @Test
  void redactedLeavesOutTheTokenAndMasksConfigSecretsButKeepsEverythingElse() {
    Destination d = base()
        .config(S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE").secretAccessKey("aws-hidden")
            .bucketName("b-bucket").awsRegion("us-east-1").build())
        .build();

    Destination r = d.redacted();
    S3DestinationConfig c = (S3DestinationConfig) r.config();

    assertThat(c.secretAccessKey().value()).isEmpty();
    assertThat(c.secretAccessKey().isRedacted()).isTrue();
    assertThat(c.bucketName()).isEqualTo("b-bucket");
    assertThat(r.id()).isEqualTo(d.id());
    assertThat(r.name()).isEqualTo(d.name());
    assertThat(d.verificationToken()).isPresent();
    assertThat(r.verificationToken()).isEmpty();
    assertThat(r.isRedacted()).isTrue();
    assertThat(r.redacted()).isSameAs(r);
    assertThat(r).isNotEqualTo(d);
  }

  @Test
  void aRedactedCopyCannotBeBuiltAgainWithoutAToken() {
    Destination r = base().build().redacted();

    assertThatThrownBy(() -> r.toBuilder().name("renamed").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("verificationToken"));
  }

  @Test
  void refusesLineBreaksAndOtherControlCharactersInSavedNamesNamingTheField() {
    for (String bad : List.of("x\n2026-01-01 INFO forged", "a\rb", "tab\there", "bell\u0007", "c1\u0085",
        "sep\u2028arator", "para\u2029graph", "del\u007f")) {
      assertThatThrownBy(() -> DestinationDraft.http("https://a.example.com").name(bad).build())
          .isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.getMessage()).contains("control characters").doesNotContain("\n").doesNotContain("\r");
          });
      assertThatThrownBy(() -> DestinationUpdate.builder().name(bad).build())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
      ValidationException.Collector v = ValidationException.collector();
      Destination.Builder.validateNoControlCharacters(v, "pausedReason", bad);
      assertThatThrownBy(v::throwIfAny)
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pausedReason"));
    }
    assertThat(DestinationDraft.http("https://a.example.com").name("Zürich – ß 日本 \"quoted\" \\ back").build()
        .name()).hasValueSatisfying(n -> assertThat(n).contains("日本"));
  }

  @Test
  void aDestinationStoredBeforeTheControlCharacterRuleStillLoads() {
    Destination legacy = base().name("old\nname").paused("old\treason").build();

    assertThat(legacy.name()).isEqualTo("old\nname");
    assertThat(legacy.pausedReason()).contains("old\treason");
  }

  @Test
  void isNotPausedByDefaultAndAPausedOneStillWantsEventsOfItsGroup() {
    Destination running = base().build();
    Destination paused = base().paused("receiver under maintenance").build();

    assertThat(running.pausedReason()).isEmpty();
    assertThat(running.paused()).isFalse();
    assertThat(paused.pausedReason()).contains("receiver under maintenance");
    assertThat(paused.paused()).isTrue();
    assertThat(paused.active()).isTrue();
    assertThat(paused.wants(group("a", "acme/sub"))).isTrue();
    assertThat(paused.wants(group("a", "globex"))).isFalse();
  }

  @Test
  void thePausedReasonCountsInEqualsShowsInToStringAndSurvivesToBuilder() {
    Destination running = base().build();
    Destination paused = base().paused("receiver under maintenance").build();

    assertThat(paused).isNotEqualTo(running);
    assertThat(paused).isNotEqualTo(base().paused("another reason").build());
    assertThat(paused).isEqualTo(base().paused("receiver under maintenance").build());
    assertThat(paused.toBuilder().build()).isEqualTo(paused);
    assertThat(paused.toBuilder().resumed().build()).isEqualTo(running);
    assertThat(running.toBuilder().paused("x").build().pausedReason()).contains("x");
    assertThat(paused.toString()).contains("pausedReason=receiver under maintenance");
    assertThat(running.toString()).doesNotContain("pausedReason");
    assertThat(paused.redacted().pausedReason()).contains("receiver under maintenance");
  }

  @Test
  void acceptsAPausedReasonOf1To1000CharactersAndRejectsABlankOrLongerOne() {
    assertThat(base().paused("r".repeat(1000)).build().pausedReason())
        .hasValueSatisfying(r -> assertThat(r).hasSize(1000));
    for (String reason : List.of("", "   ", "r".repeat(1001))) {
      assertThatThrownBy(() -> base().paused(reason).build())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pausedReason"));
    }
    assertThatThrownBy(() -> base().paused(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void filtersGivenAsArgumentsEqualTheirCollectionFormsAndReplaceEarlierOnes() {
    Destination listed = base().eventTypeFilter(List.of("user_created", "project_created"))
        .namespaceFilter(List.of(Namespace.group("acme/sub"), Namespace.project("acme/web"))).build();

    Destination given = base().eventTypeFilter("member_created")
        .eventTypeFilter("user_created", "project_created")
        .namespaceFilter(Namespace.group("acme/other"))
        .namespaceFilter(Namespace.group("acme/sub"), Namespace.project("acme/web")).build();

    assertThat(given).isEqualTo(listed);
    assertThat(given.eventTypeFilter()).containsExactlyInAnyOrder("user_created", "project_created");
    assertThat(base().eventTypeFilter("user_created").eventTypeFilter().build().eventTypeFilter()).isEmpty();
    assertThatThrownBy(() -> base().eventTypeFilter("user_created", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> base().namespaceFilter((Namespace) null)).isInstanceOf(NullPointerException.class);
  }
}
