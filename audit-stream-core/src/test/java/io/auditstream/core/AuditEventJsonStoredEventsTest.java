package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.ValidationException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Payloads that an earlier version encoded and stored (in a durable outbox, as dead letters) under its
 * looser rules: they decode to the event that version accepted, and encode again to the same bytes, so
 * they are delivered as that version would have delivered them. New input still follows the new rules.
 */
class AuditEventJsonStoredEventsTest {
  private static final String TOO_LONG_ID = "id-longer-than-128-characters-"
      + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

  /** The payload as an earlier version's encode wrote it, with {@code id}, {@code type} and {@code details}. */
  static String stored(String id, String type, String details) {
    return "{\"id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"author_id\":1,\"author_name\":\"Alice\","
        + "\"entity_id\":42,\"entity_type\":\"Group\",\"entity_path\":\"acme\",\"target_id\":null,"
        + "\"target_type\":null,\"target_details\":null,\"ip_address\":null,"
        + "\"created_at\":\"2026-11-25T19:30:00.123Z\",\"details\":" + details + "}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders/42", "evt 42", "\u00e9v\u00e9nement-1", TOO_LONG_ID})
  void decodesAStoredIdThatNewInputMayNotUseAndEncodesItToTheSameBytes(String id) {
    byte[] json = stored(id, "user_created", "{}").getBytes(StandardCharsets.UTF_8);

    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded.id()).isEqualTo(id);
    assertThat(decoded.namespace()).contains(Namespace.group("acme"));
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
    assertThat(decoded.encodedSizeBound()).isGreaterThanOrEqualTo(json.length);
    assertThatThrownBy(() -> AuditEvent.builder().id(id).eventType("user_created").entityType(EntityType.USER).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("id must");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user created", "utilisateur_cr\u00e9\u00e9", "\u7528\u6237\u521b\u5efa", "a/b"})
  void decodesAStoredEventTypeThatNewInputMayNotUseAndEncodesItToTheSameBytes(String type) {
    byte[] json = stored("evt-1", type, "{}").getBytes(StandardCharsets.UTF_8);

    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded.eventType()).isEqualTo(type);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
    assertThatThrownBy(() -> AuditEvent.builder().eventType(type).entityType(EntityType.USER).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("event_type must");
  }

  @Test
  void decodesStoredDetailsWithUnpairedSurrogatesAndANumberBeyondADoubleAndEncodesThemAgain() {
    String json = stored("evt-2", "user_created", "{\"big\":1E+400,\"k\\ud800\":\"v\\udc00\",\"list\":[\"\\ud83d\"]}");

    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded.details()).containsEntry("k\ud800", "v\udc00").containsEntry("big", new BigDecimal("1E+400"));
    assertThat(decoded.details().get("list")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly("\ud83d");
    byte[] again = AuditEventJson.encode(decoded);
    assertThat(AuditEventJson.decode(again)).isEqualTo(decoded);
    assertThat(AuditEventJson.encode(AuditEventJson.decode(again))).isEqualTo(again);
    assertThat(decoded.encodedSizeBound()).isGreaterThanOrEqualTo(again.length);
    // As new input, the same details are refused.
    assertThatThrownBy(() -> AuditEvent.builder().eventType("t").entityType(EntityType.USER).detail("k", "v\udc00"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> AuditEvent.builder().eventType("t").entityType(EntityType.USER)
        .detail("big", new BigDecimal("1E+400"))).isInstanceOf(ValidationException.class);
  }

  @Test
  void decodesAnUnpairedSurrogateInAStoredFreeTextField() {
    String json = stored("evt-3", "user_created", "{}").replace("\"Alice\"", "\"Al\\ud800ice\"");

    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded.authorName()).isEqualTo("Al\ud800ice");
    assertThat(AuditEventJson.decode(AuditEventJson.encode(decoded))).isEqualTo(decoded);
    assertThatThrownBy(() -> AuditEvent.builder().eventType("t").entityType(EntityType.USER)
        .authorName("Al\ud800ice").build()).isInstanceOf(ValidationException.class);
  }

  @Test
  void aStoredEventKeepsItsRulesWhenAStoreRestoresItsNamespace() {
    AuditEvent decoded = AuditEventJson.decode(stored("orders/42", "user created", "{\"k\":\"\\ud800\"}"));

    AuditEvent restored = decoded.toBuilder().namespace(Namespace.project("acme/web")).build();

    assertThat(restored.id()).isEqualTo("orders/42");
    assertThat(restored.namespace()).contains(Namespace.project("acme/web"));
    assertThat(AuditEventJson.encode(restored)).isEqualTo(AuditEventJson.encode(decoded));
  }

  @Test
  void keepsTheRulesThatTheJsonFormReliesOn() {
    assertThatThrownBy(() -> AuditEventJson.decode(stored(" ", "user_created", "{}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id is required");
    assertThatThrownBy(() -> AuditEventJson.decode(stored("evt", "", "{}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_type is required");
    assertThatThrownBy(() -> AuditEventJson.decode(stored("evt", "t", "{\"n\":1" + "0".repeat(1000) + "}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000 characters");
    assertThatThrownBy(() -> AuditEventJson.decode(stored("evt", "t", "{\"a\":1,\"a\":2}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }
}
