package io.auditstream.api;

import static io.auditstream.api.ValidationOutcome.acceptedOrRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every generated event field is either accepted, and then kept unchanged through {@code toBuilder()},
 * or refused when the event is built with a {@link ValidationException} naming the field.
 */
class AuditEventPropertyTest {
  private static final String IDENTIFIER = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";

  private static AuditEvent.Builder valid() {
    return AuditEvent.builder().id("evt-1").eventType("user_created").entity(EntityType.GROUP, 1L, "acme");
  }

  private static void field(String field, UnaryOperator<AuditEvent.Builder> change) {
    acceptedOrRefused(field, () -> change.apply(valid()).build(), e -> {
      assertThat(e.toBuilder().build()).isEqualTo(e);
      assertThat(e.encodedSizeBound()).isPositive();
    });
  }

  @Provide
  Arbitrary<String> identifiers() {
    return Arbitraries.oneOf(GeneratedText.near(IDENTIFIER, 270), GeneratedText.near(IDENTIFIER, 20));
  }

  @Property
  void eventTypeIsAcceptedAsSendableHeaderAndKeySegmentOrRefused(@ForAll("identifiers") String type) {
    field("event_type", b -> b.eventType(type));
    acceptedOrRefused("event_type", () -> valid().eventType(type).build(), e -> {
      assertThat(e.eventType()).isEqualTo(type).doesNotContain("/", " ").hasSizeBetween(1, 255);
      assertThat(io.auditstream.api.destination.HeaderText.isSendable(type)).isTrue();
    });
  }

  @Property
  void idIsAcceptedAsSendableHeaderAndKeySegmentOrRefused(@ForAll("identifiers") String id) {
    acceptedOrRefused("id", () -> valid().id(id).build(), e -> {
      assertThat(e.id()).isEqualTo(id).doesNotContain("/", " ").hasSizeBetween(1, 128);
      assertThat(io.auditstream.api.destination.HeaderText.isSendable(id)).isTrue();
      assertThat(e.toBuilder().build()).isEqualTo(e);
    });
  }

  @Provide
  Arbitrary<String> texts() {
    return GeneratedText.near("abc XYZ 09 \u00e9\u4e2d\ud83d\ude00", 100);
  }

  @Property
  void freeTextFieldsAreAcceptedUnlessTheyHoldAnUnpairedSurrogate(@ForAll("texts") String text) {
    field("author_name", b -> b.authorName(text));
    field("target_type", b -> b.targetType(text));
    field("target_details", b -> b.targetDetails(text));
    field("ip_address", b -> b.ipAddress(text));
  }

  @Provide
  Arbitrary<Object> detailValues() {
    Arbitrary<Object> leaf = Arbitraries.oneOf(texts().map(s -> (Object) s), Arbitraries.integers().map(i -> i),
        Arbitraries.longs().map(l -> l), Arbitraries.doubles().map(d -> d),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NaN, -0.0, Double.MAX_VALUE),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(310).negate(), BigInteger.TEN.pow(310)).map(b -> b),
        Arbitraries.of(new BigDecimal("1E+400"), new BigDecimal("1E-400"), new BigDecimal("1.50")),
        Arbitraries.of(true, false), Arbitraries.just(null), Arbitraries.just(new Object()),
        Arbitraries.just(new java.util.concurrent.atomic.AtomicLong(3)));
    return Arbitraries.oneOf(leaf, leaf.list().ofMaxSize(3).map(l -> l),
        Arbitraries.maps(Arbitraries.oneOf(texts().map(s -> (Object) s), Arbitraries.integers().map(i -> i)), leaf)
            .ofMaxSize(3).map(m -> m));
  }

  @Property
  void detailsAreAcceptedAsImmutableJsonValuesOrRefusedNamingThePath(@ForAll("detailValues") Object value,
      @ForAll("texts") String key) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(key, value);
    acceptedOrRefused("details", () -> valid().details(details).build(), e -> {
      assertThat(e.toBuilder().build()).isEqualTo(e);
      assertJsonValue(e.details());
    });
  }

  /** Only the types the JSON form writes as they are, none that a subclass or a later change could alter. */
  private static void assertJsonValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, x) -> {
        assertThat(k).isInstanceOf(String.class);
        assertJsonValue(x);
      });
    } else if (v instanceof List<?> l) {
      l.forEach(AuditEventPropertyTest::assertJsonValue);
    } else if (v != null) {
      assertThat(v.getClass()).isIn(String.class, Boolean.class, Integer.class, Long.class, Short.class, Byte.class,
          Double.class, Float.class, BigInteger.class, BigDecimal.class);
      if (v instanceof Number n) {
        assertThat(Double.isFinite(n.doubleValue())).isTrue();
      }
    }
  }
}
