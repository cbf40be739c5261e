package io.auditstream.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class S3ObjectKeysTest {
  private static AuditEvent event(String id, String type, EntityType entityType, String createdAt) {
    AuditEvent.Builder b = AuditEvent.builder().id(id).eventType(type).author(1L, "Alice")
        .createdAt(Instant.parse(createdAt));
    return switch (entityType) {
      case USER -> b.entity(EntityType.USER, 3L, "alice").namespace(io.auditstream.api.Namespace.group("acme")).build();
      default -> b.entity(entityType, 3L, entityType == EntityType.GROUP ? "acme/platform" : "acme/platform/api").build();
    };
  }

  @Test
  void namesGroupProjectAndUserEventsByLowercasedEntityTypeYearMonthTypeIdAndMillis() {
    assertThat(S3ObjectKeys.keyOf(event("e-1", "group_created", EntityType.GROUP, "2026-11-25T19:30:00.123Z")))
        .isEqualTo("group/2026/11/group_created_e-1_" + Instant.parse("2026-11-25T19:30:00.123Z").toEpochMilli() + ".json");
    assertThat(S3ObjectKeys.keyOf(event("e-2", "project_created", EntityType.PROJECT, "2026-03-04T05:06:07.008Z")))
        .isEqualTo("project/2026/03/project_created_e-2_1772600767008.json");
    assertThat(S3ObjectKeys.keyOf(event("e-3", "user_created", EntityType.USER, "2024-02-29T12:00:00Z")))
        .isEqualTo("user/2024/02/user_created_e-3_1709208000000.json");
  }

  @Test
  void takesYearAndMonthInUtcAtMonthAndYearBoundariesWhateverTheDefaultTimeZone() {
    TimeZone original = TimeZone.getDefault();
    try {
      // Far from UTC on both sides: a local-time computation would move these events to another month.
      for (String zone : new String[] {"Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        assertThat(S3ObjectKeys.keyOf(event("a", "t", EntityType.GROUP, "2025-12-31T23:59:59.999Z")))
            .as(zone).startsWith("group/2025/12/t_a_");
        assertThat(S3ObjectKeys.keyOf(event("b", "t", EntityType.GROUP, "2026-01-01T00:00:00.000Z")))
            .as(zone).startsWith("group/2026/01/t_b_");
        assertThat(S3ObjectKeys.keyOf(event("c", "t", EntityType.PROJECT, "2026-02-28T23:59:59.999Z")))
            .as(zone).startsWith("project/2026/02/");
        assertThat(S3ObjectKeys.keyOf(event("d", "t", EntityType.PROJECT, "2026-03-01T00:00:00Z")))
            .as(zone).startsWith("project/2026/03/");
      }
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void givesTheSameKeyForTheSameEventEveryTime() {
    AuditEvent e = event("same-id", "member_created", EntityType.GROUP, "2026-06-01T08:00:00.500Z");

    assertThat(S3ObjectKeys.keyOf(e)).isEqualTo(S3ObjectKeys.keyOf(e.toBuilder().build()))
        .endsWith("_" + Instant.parse("2026-06-01T08:00:00.500Z").toEpochMilli() + ".json");
  }
}
