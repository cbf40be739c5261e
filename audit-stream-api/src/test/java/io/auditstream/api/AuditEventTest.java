package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventTest {
  private static AuditEvent.Builder groupEvent() {
    return AuditEvent.builder().eventType("group_renamed").entity(EntityType.GROUP, 1L, "acme");
  }

  @Test
  void generatesIdThatStaysStableAcrossToBuilder() {
    AuditEvent e = groupEvent().build();

    assertThat(e.id()).isNotBlank();
    assertThat(e.toBuilder().ipAddress("10.0.0.1").build().id()).isEqualTo(e.id());
    assertThat(groupEvent().build().id()).isNotEqualTo(e.id());
  }

  @Test
  void keepsIdGivenByHost() {
    assertThat(groupEvent().id("host-42").build().id()).isEqualTo("host-42");
  }

  @Test
  void truncatesCreatedAtToMillis() {
    AuditEvent given = groupEvent().createdAt(Instant.parse("2026-01-02T03:04:05.123456789Z")).build();
    AuditEvent fromClock = groupEvent()
        .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05.987654321Z"), ZoneOffset.UTC)).build();

    assertThat(given.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
    assertThat(fromClock.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.987Z"));
  }

  @Test
  void derivesNamespaceFromGroupOrProjectEntityPath() {
    assertThat(groupEvent().build().namespace()).contains(Namespace.group("acme"));
    assertThat(AuditEvent.builder().eventType("project_deleted").entity(EntityType.PROJECT, 2L, "acme/sub/app")
        .build().namespace()).contains(Namespace.project("acme/sub/app"));
  }

  @Test
  void userEventHasNamespaceOnlyWhenGiven() {
    AuditEvent.Builder user = AuditEvent.builder().eventType("user_created").entity(EntityType.USER, 3L, "bob");

    assertThat(user.build().namespace()).isEmpty();
    assertThat(user.namespace(Namespace.group("acme/sub")).build().namespace()).contains(Namespace.group("acme/sub"));
  }

  @Test
  void derivesNamespaceAgainWhenCopyChangesEntity() {
    AuditEvent e = groupEvent().build();

    AuditEvent moved = e.toBuilder().entity(EntityType.PROJECT, 9L, "globex/app").build();

    assertThat(moved.namespace()).contains(Namespace.project("globex/app"));
    assertThat(e.toBuilder().build()).isEqualTo(e);
  }

  @Test
  void keepsExplicitNamespaceThroughToBuilder() {
    AuditEvent e = AuditEvent.builder().eventType("user_created").entity(EntityType.USER, 3L, "bob")
        .namespace(Namespace.group("acme")).build();

    assertThat(e.toBuilder().entityPath("carol").build().namespace()).contains(Namespace.group("acme"));
  }

  @Test
  void requiresEventTypeAndEntityType() {
    assertThatThrownBy(() -> AuditEvent.builder().build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("event_type", "entity_type"));
  }

  @Test
  void deepCopiesDetailsAndSetsCustomMessage() {
    java.util.List<Object> list = new java.util.ArrayList<>(List.of("a"));
    AuditEvent e = groupEvent().details(Map.of("list", list)).customMessage("hello").build();
    list.add("b");

    assertThat(e.details()).containsEntry("custom_message", "hello");
    assertThat(e.details().get("list")).isEqualTo(List.of("a"));
    assertThatThrownBy(() -> e.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsDetailThatIsNotAJsonValue() {
    assertThatThrownBy(() -> groupEvent().detail("thread", new Object()).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.thread"))
        .hasMessageContaining("JSON values");
  }

  @Test
  void refusesWhenBuiltWhatItsJsonFormCannotCarryNamingTheField() {
    assertThatThrownBy(() -> groupEvent().detail("ratio", Double.NaN).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.ratio"))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> groupEvent().details(Map.of("x", List.of(Float.POSITIVE_INFINITY))).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.x[0]"));
    assertThatThrownBy(() -> groupEvent().detail("big", new java.math.BigDecimal("0." + "9".repeat(999))).build())
        .isInstanceOf(ValidationException.class).hasMessage("details must hold numbers of at most 1000 characters");
    assertThatThrownBy(() -> groupEvent().detail("huge", new java.math.BigDecimal("1E+400")).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.huge"))
        .hasMessageContaining("range of a double");
    assertThatThrownBy(() -> groupEvent().createdAt(Instant.MAX).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("created_at"));
    assertThat(groupEvent().detail("big", new java.math.BigDecimal("0." + "9".repeat(998))).detail("n", 1.5).build()
        .details()).containsEntry("n", 1.5);
  }

  @Test
  void acceptsDetailsNestedToTheLimitAndRefusesOneLevelMore() {
    assertThat(groupEvent().details(nested(AuditEvent.MAX_DETAILS_DEPTH - 1)).build()).isNotNull();
    assertThatThrownBy(() -> groupEvent().details(nested(AuditEvent.MAX_DETAILS_DEPTH)).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("must nest at most 500 levels");
  }

  /** Details holding {@code levels} maps inside one another (details itself is one level more). */
  private static Map<String, Object> nested(int levels) {
    Map<String, Object> inner = Map.of();
    for (int i = 0; i < levels; i++) {
      inner = Map.of("n", inner);
    }
    return inner;
  }
}
