package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a host may put in an event: refused at build with the field named, or kept as JSON carries it. */
class AuditEventInputTest {
  private static AuditEvent.Builder groupEvent() {
    return AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, "acme");
  }

  private static void refused(AuditEvent.Builder b, String field, String rule) {
    assertThatThrownBy(b::build)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(rule)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000"));
  }

  @Test
  void acceptsGitLabStyleEventTypesAndIds() {
    AuditEvent e = groupEvent().eventType("user_access_token_created").id("evt_2026-12.01").build();

    assertThat(e.eventType()).isEqualTo("user_access_token_created");
    assertThat(e.id()).isEqualTo("evt_2026-12.01");
    assertThat(groupEvent().eventType("a".repeat(255)).id("9".repeat(128)).build().id()).hasSize(128);
  }

  @Test
  void refusesEventTypesThatCannotBeAHeaderOrAnObjectKeySegment() {
    refused(groupEvent().eventType("a\r\nX-Injected: 1"), "event_type", "letters, digits");
    refused(groupEvent().eventType("\u00e9v\u00e8nement"), "event_type", "letters, digits");
    refused(groupEvent().eventType("group/created"), "event_type", "letters, digits");
    refused(groupEvent().eventType(".."), "event_type", "starting with a letter or digit");
    refused(groupEvent().eventType("group created"), "event_type", "letters, digits");
    refused(groupEvent().eventType("a".repeat(256)), "event_type", "1 to 255 characters (was 256)");
    refused(groupEvent().eventType(" "), "event_type", "required");
  }

  @Test
  void refusesIdsThatCannotBeAHeaderOrAnObjectKeySegment() {
    refused(groupEvent().id("a\nb"), "id", "letters, digits");
    refused(groupEvent().id("a/b"), "id", "letters, digits");
    refused(groupEvent().id(""), "id", "1 to 128 characters (was 0)");
    refused(groupEvent().id("a".repeat(129)), "id", "1 to 128 characters (was 129)");
    refused(groupEvent().id("\u4e2d"), "id", "letters, digits");
  }

  @Test
  void refusesLoneSurrogatesInEveryTextFieldAndKeepsPairs() {
    refused(groupEvent().author(1L, "a\ud800"), "author_name", "unpaired surrogate");
    refused(groupEvent().target(1L, "\udfff", null), "target_type", "unpaired surrogate");
    refused(groupEvent().target(1L, null, "x\ud800y"), "target_details", "unpaired surrogate");
    refused(groupEvent().ipAddress("\ud800"), "ip_address", "unpaired surrogate");
    assertThatThrownBy(() -> groupEvent().detail("k", "\ud83d"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.k"));
    assertThatThrownBy(() -> groupEvent().details(Map.of("\udc00", 1)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("unpaired surrogate");
    assertThat(groupEvent().customMessage("\ud83d\ude00").build().details()).containsEntry("custom_message", "\ud83d\ude00");
  }

  @Test
  void refusesKeysThatAreNotStringsInsteadOfLettingTwoMeetAsOneName() {
    Map<Object, Object> clash = new HashMap<>();
    clash.put(1, "a");
    clash.put("1", "b");
    Map<String, Object> nested = Map.of("inner", clash);

    assertThatThrownBy(() -> groupEvent().details(nested))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.inner"))
        .hasMessageContaining("keys must be strings (was java.lang.Integer)");
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertThatThrownBy(() -> groupEvent().details(nullKey)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("keys must be strings (was null)");
    assertThatThrownBy(() -> groupEvent().detail(null, 1)).isInstanceOf(ValidationException.class);
  }

  /** A number whose text would break the JSON it is written into. */
  static final class InjectingBigInteger extends BigInteger {
    InjectingBigInteger() {
      super("7");
    }

    @Override
    public String toString() {
      return "7},\"admin\":true,\"x\":{";
    }
  }

  @Test
  void copiesNumbersIntoTypesThatCannotChangeOrWriteThemselvesAnotherWay() {
    AtomicLong counter = new AtomicLong(5);
    Number custom = new Number() {
      @Override public int intValue() { return 2; }
      @Override public long longValue() { return 2; }
      @Override public float floatValue() { return 2.5f; }
      @Override public double doubleValue() { return 2.5; }
    };
    BigDecimal decimalSubclass = new BigDecimal("1.50") {
      @Override
      public String toString() {
        return "oops";
      }
    };

    AuditEvent e = groupEvent().detail("big", new InjectingBigInteger()).detail("counter", counter)
        .detail("custom", custom).detail("decimal", decimalSubclass).detail("int", 3).build();
    counter.set(99);

    assertThat(e.details().get("big")).isExactlyInstanceOf(BigInteger.class).isEqualTo(BigInteger.valueOf(7));
    assertThat(e.details().get("big").toString()).isEqualTo("7");
    assertThat(e.details()).containsEntry("counter", 5L).containsEntry("custom", 2.5).containsEntry("int", 3);
    assertThat(e.details().get("decimal")).isExactlyInstanceOf(BigDecimal.class).hasToString("1.50");
  }

  @Test
  void refusesNumbersBeyondADoublesRange() {
    assertThatThrownBy(() -> groupEvent().detail("n", BigInteger.TEN.pow(309)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("range of a double");
    assertThatThrownBy(() -> groupEvent().detail("n", List.of(new BigDecimal("-1E+309"))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details.n[0]"));
    assertThat(groupEvent().detail("n", BigInteger.TEN.pow(308)).build().details().get("n"))
        .isEqualTo(BigInteger.TEN.pow(308));
  }

  @Test
  void sizeBoundGrowsWithTheTextAndCountsEscapesAndMultiByteCharacters() {
    int plain = groupEvent().id("x").build().encodedSizeBound();
    int longer = groupEvent().id("x").customMessage("a".repeat(1000)).build().encodedSizeBound();
    int escaped = groupEvent().id("x").customMessage("\u0001".repeat(1000)).build().encodedSizeBound();
    int wide = groupEvent().id("x").customMessage("\u4e2d".repeat(1000)).build().encodedSizeBound();

    assertThat(longer - plain).isBetween(1000, 1040);
    assertThat(escaped - plain).isBetween(6000, 6040);
    assertThat(wide - plain).isBetween(3000, 3040);
    assertThat(groupEvent().id("x").customMessage("\ud83d\ude00".repeat(1000)).build().encodedSizeBound() - plain)
        .isBetween(12000, 12040);
    assertThat(groupEvent().id("x").customMessage("a".repeat(1000)).build().toBuilder().build().encodedSizeBound())
        .isEqualTo(longer);
  }

  @Test
  void refusesCyclicDetailsWhenTheyAreSetInsteadOfOverflowingTheStack() {
    Map<String, Object> self = new HashMap<>();
    self.put("self", self);
    List<Object> loop = new java.util.ArrayList<>();
    loop.add(loop);

    for (Object cyclic : List.of(self, loop)) {
      assertThatThrownBy(() -> groupEvent().detail("cycle", cyclic))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).startsWith("details.cycle"))
          .hasMessageContaining("details must nest at most " + AuditEvent.MAX_DETAILS_DEPTH + " levels deep");
    }
  }
}
