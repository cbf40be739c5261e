package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final Instant AT = Instant.parse("2026-11-25T19:30:00.123Z");

  private static String json(AuditEvent e) {
    return new String(EventJson.encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void writesEveryPayloadFieldInContractOrder() {
    AuditEvent e = AuditEvent.builder().id("ev-1").eventType("project_created").author(12L, "Alice")
        .entity(EntityType.PROJECT, 34L, "acme/sub/app").target(56L, "Project", "acme/sub/app")
        .ipAddress("192.0.2.1").createdAt(AT).customMessage("created").build();

    assertThat(json(e)).isEqualTo("{\"id\":\"ev-1\",\"event_type\":\"project_created\",\"author_id\":12,"
        + "\"author_name\":\"Alice\",\"entity_id\":34,\"entity_type\":\"Project\",\"entity_path\":\"acme/sub/app\","
        + "\"target_id\":56,\"target_type\":\"Project\",\"target_details\":\"acme/sub/app\","
        + "\"ip_address\":\"192.0.2.1\",\"created_at\":\"2026-11-25T19:30:00.123Z\","
        + "\"details\":{\"custom_message\":\"created\"}}");
  }

  @Test
  void writesAbsentFieldsAsNullAndEmptyDetailsAsObject() {
    AuditEvent e = AuditEvent.builder().id("ev-2").eventType("user_blocked").entityType(EntityType.USER)
        .createdAt(AT).build();

    assertThat(json(e)).isEqualTo("{\"id\":\"ev-2\",\"event_type\":\"user_blocked\",\"author_id\":null,"
        + "\"author_name\":null,\"entity_id\":null,\"entity_type\":\"User\",\"entity_path\":null,"
        + "\"target_id\":null,\"target_type\":null,\"target_details\":null,\"ip_address\":null,"
        + "\"created_at\":\"2026-11-25T19:30:00.123Z\",\"details\":{}}");
  }

  @Test
  void writesCreatedAtInUtcWithExactlyThreeFractionDigits() {
    AuditEvent whole = AuditEvent.builder().id("a").eventType("t").entityType(EntityType.USER)
        .createdAt(Instant.parse("2026-01-02T03:04:05Z")).build();
    AuditEvent nanos = AuditEvent.builder().id("b").eventType("t").entityType(EntityType.USER)
        .createdAt(Instant.parse("2026-01-02T03:04:05.987654321Z")).build();

    assertThat(json(whole)).contains("\"created_at\":\"2026-01-02T03:04:05.000Z\"");
    assertThat(json(nanos)).contains("\"created_at\":\"2026-01-02T03:04:05.987Z\"");
  }

  @Test
  void equalEventsEncodeToTheSameBytesWhateverTheDetailsOrder() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("b", 2);
    ab.put("a", Map.of("y", true, "x", List.of(1, "two")));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("a", Map.of("x", List.of(1, "two"), "y", true));
    ba.put("b", 2);
    AuditEvent first = AuditEvent.builder().id("same").eventType("t").entityType(EntityType.USER).createdAt(AT)
        .details(ab).build();
    AuditEvent second = first.toBuilder().details(ba).build();

    assertThat(EventJson.encode(first)).isEqualTo(EventJson.encode(second));
    assertThat(json(first)).endsWith("\"details\":{\"a\":{\"x\":[1,\"two\"],\"y\":true},\"b\":2}}");
  }

  @Test
  void decodesWhatItEncodedBackToAnEqualEvent() {
    AuditEvent e = AuditEvent.builder().id("ev-3").eventType("group_renamed").author(1L, "Bob")
        .entity(EntityType.GROUP, 9L, "acme/sub").target(9L, "Group", "acme/sub").ipAddress("2001:db8::1")
        .createdAt(AT).detail("from", "old").detail("count", 3).detail("nested", Map.of("ok", true))
        .detail("list", List.of("a", 1)).detail("none", null).build();

    AuditEvent decoded = EventJson.decode(EventJson.encode(e));

    assertThat(decoded).isEqualTo(e);
    assertThat(decoded.namespace()).contains(Namespace.group("acme/sub"));
    assertThat(EventJson.encode(decoded)).isEqualTo(EventJson.encode(e));
  }

  @Test
  void refusesPayloadsThatAreNotEventObjects() {
    assertThatThrownBy(() -> EventJson.decode("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventJson.decode("{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
