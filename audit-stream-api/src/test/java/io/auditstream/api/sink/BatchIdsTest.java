package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchIdsTest {
  private static EncodedEvent event(String id) {
    AuditEvent e = AuditEvent.builder().id(id).eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
    return new EncodedEvent(e, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theSameEventsInTheSameOrderGetTheSameIdEvenWhenEncodedAnew() {
    String first = BatchIds.of(List.of(event("a"), event("b"), event("c")));

    assertThat(BatchIds.of(List.of(event("a"), event("b"), event("c")))).isEqualTo(first);
    assertThat(UUID.fromString(first).toString()).isEqualTo(first);
  }

  @Test
  void otherEventsOrTheSameEventsInAnotherOrderGetAnotherId() {
    String abc = BatchIds.of(List.of(event("a"), event("b"), event("c")));

    assertThat(BatchIds.of(List.of(event("a"), event("c"), event("b")))).isNotEqualTo(abc);
    assertThat(BatchIds.of(List.of(event("a"), event("b")))).isNotEqualTo(abc);
    assertThat(BatchIds.of(List.of(event("a"), event("b"), event("c"), event("d")))).isNotEqualTo(abc);
    assertThat(BatchIds.of(List.of(event("a"), event("b"), event("x")))).isNotEqualTo(abc);
  }

  @Test
  void idsThatWouldRunTogetherGetAnotherId() {
    assertThat(BatchIds.of(List.of(event("ab"))))
        .isNotEqualTo(BatchIds.of(List.of(event("a"), event("b"))));
    assertThat(BatchIds.of(List.of(event("a1"), event("1b"))))
        .isNotEqualTo(BatchIds.of(List.of(event("a"), event("11b"))));
  }

  @Test
  void aBatchOfOneEventHasAnIdOtherThanTheEventsOwn() {
    String id = BatchIds.of(List.of(event("0f8fad5b-d9cb-469f-a165-70867728950e")));

    assertThat(id).hasSize(36).isNotEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
  }

  @Test
  void refusesAnEmptyBatch() {
    assertThatThrownBy(() -> BatchIds.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch must hold at least one event");
  }
}
