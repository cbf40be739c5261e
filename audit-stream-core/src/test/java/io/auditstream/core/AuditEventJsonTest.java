package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.Namespace;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditEventJsonTest {
  @Test
  void thePlainWriterAndJacksonWriteTheSameBytesForAnyContent() {
    java.util.Random random = new java.util.Random(7);
    String[] alphabet = {"a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\u0001", "\u007f", "é", "€", "😀", "<", "&"};
    for (int i = 0; i < 2_000; i++) {
      java.util.function.Supplier<String> text = () -> {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(12);
        for (int k = 0; k < n; k++) {
          // Mostly plain text, so that both paths are taken.
          b.append(random.nextInt(10) < 8 ? "x" : alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
      };
      Map<String, Object> nested = new LinkedHashMap<>();
      nested.put(text.get() + "k", List.of(1, text.get(), true, new BigDecimal("1.5E+3"), Map.of("z", 2L)));
      AuditEvent e = AuditEvent.builder()
          .eventType("user_created_" + (random.nextBoolean() ? "x" : "y"))
          .authorId(random.nextBoolean() ? null : random.nextLong())
          .authorName(text.get())
          .entity(EntityType.GROUP, 42L, "acme")
          .targetDetails(random.nextBoolean() ? null : text.get())
          .detail("custom_message", text.get())
          .detail("b" + text.get(), nested)
          .detail("count", random.nextInt())
          .detail("ratio", random.nextDouble())
          .createdAt(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)))
          .build();
      assertThat(new String(AuditEventJson.encode(e), StandardCharsets.UTF_8))
          .isEqualTo(new String(AuditEventJson.withJackson(e, AuditEventJson.createdAt(e.createdAt())),
              StandardCharsets.UTF_8));
    }
  }

  @Test
  void createdAtIsWrittenAsTheFormatterWritesItForEveryYearAndTimeOfDay() {
    java.util.Random random = new java.util.Random(42);
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("2024-02-29T12:34:56.789123Z"),
        Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("-0001-12-31T23:59:59Z")));
    for (int i = 0; i < 10_000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
          random.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      assertThat(AuditEventJson.createdAt(t)).as("%s", t).isEqualTo(AuditEventJson.CREATED_AT.format(t));
    }
  }

  @Test
  void createdAtIsReadAsInstantParseReadsItWhateverTheText() {
    java.util.Random random = new java.util.Random(7);
    List<String> texts = new ArrayList<>(List.of("2026-11-25T19:30:00.123Z", "0000-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z", "2024-02-29T12:00:00.000Z", "2026-02-29T12:00:00.000Z",
        "2026-04-31T12:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-00-10T00:00:00.000Z",
        "2026-11-25T24:00:00.000Z", "2026-11-25T23:60:00.000Z", "2026-11-25T23:59:60.000Z",
        "2026-11-25T19:30:00.123z", "2026-11-25t19:30:00.123Z", "2026-11-25T19:30:00Z",
        "2026-11-25T19:30:00.1234Z", "2026-11-25T19:30:00.123+00:00", "+2026-11-25T19:30:00.123Z",
        "2026-11-25T19:30:00.-23Z", "2026-11-25T19:30:0x.123Z", "-001-11-25T19:30:00.123Z", ""));
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
          random.nextInt(1_000) * 1_000_000);
      texts.add(AuditEventJson.createdAt(t));
    }
    for (String text : texts) {
      Instant expected;
      try {
        expected = Instant.parse(text);
      } catch (java.time.format.DateTimeParseException e) {
        assertThatThrownBy(() -> AuditEventJsonReader.createdAt(text)).as("%s", text)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("created_at");
        continue;
      }
      assertThat(AuditEventJsonReader.createdAt(text)).as("%s", text).isEqualTo(expected);
    }
  }

  private static final Instant AT = Instant.parse("2026-11-25T19:30:00.123Z");

  private static String json(AuditEvent e) {
    return new String(AuditEventJson.encode(e), StandardCharsets.UTF_8);
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

    assertThat(AuditEventJson.encode(first)).isEqualTo(AuditEventJson.encode(second));
    assertThat(json(first)).endsWith("\"details\":{\"a\":{\"x\":[1,\"two\"],\"y\":true},\"b\":2}}");
  }

  @Test
  void decodesWhatItEncodedBackToAnEqualEvent() {
    AuditEvent e = AuditEvent.builder().id("ev-3").eventType("group_renamed").author(1L, "Bob")
        .entity(EntityType.GROUP, 9L, "acme/sub").target(9L, "Group", "acme/sub").ipAddress("2001:db8::1")
        .createdAt(AT).detail("from", "old").detail("count", 3).detail("nested", Map.of("ok", true))
        .detail("list", List.of("a", 1)).detail("none", null).build();

    AuditEvent decoded = AuditEventJson.decode(AuditEventJson.encode(e));

    assertThat(decoded).isEqualTo(e);
    assertThat(decoded.namespace()).contains(Namespace.group("acme/sub"));
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(AuditEventJson.encode(e));
  }

  @Test
  void refusesPayloadsThatAreNotEventObjects() {
    assertThatThrownBy(() -> AuditEventJson.decode("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditEventJson.decode("{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- round trips ----

  @Test
  void roundTripsVariedEventsToEqualEventsAndIdenticalBytes() {
    List<AuditEvent> events = VariedEvents.of(20261125L, 500);
    List<String> payloads = new ArrayList<>();

    for (AuditEvent e : events) {
      byte[] encoded = AuditEventJson.encode(e);
      AuditEvent decoded = AuditEventJson.decode(encoded);

      assertThat(e.encodedSizeBound()).as("size bound of %s", e.id()).isGreaterThanOrEqualTo(encoded.length);
      assertThat(decoded).as("decoded event %s", e.id()).isEqualTo(e);
      assertThat(decoded.namespace()).as("namespace of %s", e.id()).isEqualTo(e.namespace());
      assertThat(AuditEventJson.encode(decoded)).as("re-encoded event %s", e.id()).isEqualTo(encoded);
      payloads.add(new String(encoded, StandardCharsets.UTF_8));
    }
    // The seed does produce what the round trip is meant to cover.
    assertThat(payloads).anyMatch(p -> p.contains("\\u0000")).anyMatch(p -> p.length() > 50_000)
        .anyMatch(p -> p.contains("\"author_id\":null")).anyMatch(p -> p.contains(":{\""));
    assertThat(events).anyMatch(e -> e.details().values().stream().anyMatch(BigInteger.class::isInstance))
        .anyMatch(e -> e.details().values().stream().anyMatch(BigDecimal.class::isInstance))
        .anyMatch(e -> e.namespace().isPresent()).anyMatch(e -> e.namespace().isEmpty());
  }

  @Test
  void roundTripsUnicodeAndControlCharactersInEveryFreeTextField() {
    String text = "caf\u00e9 \u2713 \u4e2d\u6587 \u05d0 \ud83d\ude00 \u0000\u0001\u001f\u007f \"quoted\" back\\slash /"
        + " \n\r\t\b\f \u2028\u2029 \ufeff \udbff\udfff";
    AuditEvent e = AuditEvent.builder().id("ev-text").eventType("user_created").author(1L, text)
        .entity(EntityType.USER, 2L, text).target(3L, text, text).ipAddress(text).createdAt(AT)
        .customMessage(text).detail(text, text).detail("list", List.of(text, Map.of(text, List.of(text)))).build();

    byte[] json = AuditEventJson.encode(e);
    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded).isEqualTo(e);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
    assertThat(e.encodedSizeBound()).isGreaterThanOrEqualTo(json.length);
    // Control characters are escaped: the payload is a single line whatever the event holds.
    assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\n", "\r", "\u0000")
        .contains("\\n", "\\u0000", "\\\"quoted\\\"");
  }

  @Test
  void roundTripsVeryLongStrings() {
    String longText = "\u00e9x\"\\\u0001".repeat(300_000);
    AuditEvent e = AuditEvent.builder().id("ev-long").eventType("t").author(1L, longText)
        .entity(EntityType.USER, null, longText).createdAt(AT).customMessage(longText)
        .detail(longText.substring(0, 100_000), List.of(longText)).build();

    byte[] json = AuditEventJson.encode(e);
    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded).isEqualTo(e);
    assertThat(decoded.authorName()).hasSize(1_500_000);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
  }

  @Test
  void roundTripsAnEventWithoutAnyOptionalField() {
    AuditEvent e = AuditEvent.builder().id("ev-bare").eventType("user_blocked").entityType(EntityType.USER)
        .createdAt(AT).build();

    AuditEvent decoded = AuditEventJson.decode(AuditEventJson.encode(e));

    assertThat(decoded).isEqualTo(e);
    assertThat(decoded.authorId()).isNull();
    assertThat(decoded.authorName()).isNull();
    assertThat(decoded.entityId()).isNull();
    assertThat(decoded.entityPath()).isNull();
    assertThat(decoded.targetId()).isNull();
    assertThat(decoded.targetType()).isNull();
    assertThat(decoded.targetDetails()).isNull();
    assertThat(decoded.ipAddress()).isNull();
    assertThat(decoded.details()).isEmpty();
    assertThat(decoded.namespace()).isEmpty();
  }

  @Test
  void roundTripsNullDetailValuesAndEmptyKeysAndContainers() {
    Map<String, Object> details = new HashMap<>();
    details.put("", "empty key");
    details.put("none", null);
    details.put("emptyMap", Map.of());
    details.put("emptyList", List.of());
    details.put("listOfNulls", Collections.nCopies(3, null));
    AuditEvent e = AuditEvent.builder().id("ev-nulls").eventType("t").entityType(EntityType.USER).createdAt(AT)
        .details(details).build();

    AuditEvent decoded = AuditEventJson.decode(AuditEventJson.encode(e));

    assertThat(decoded).isEqualTo(e);
    assertThat(decoded.details()).containsEntry("none", null).containsEntry("", "empty key");
  }

  @Test
  void roundTripsNumbersInDetailsWithTheirTypeAndText() {
    AuditEvent e = AuditEvent.builder().id("ev-numbers").eventType("t").entityType(EntityType.USER).createdAt(AT)
        .detail("int", 7).detail("minInt", Integer.MIN_VALUE).detail("long", 9_007_199_254_740_993L)
        .detail("minLong", Long.MIN_VALUE).detail("big", new BigInteger("-123456789012345678901234567890"))
        .detail("tenth", 0.1).detail("whole", 3.0).detail("tiny", Double.MIN_VALUE).detail("huge", Double.MAX_VALUE)
        .detail("negativeZero", -0.0).detail("decimal", new BigDecimal("1.50"))
        .detail("exponent", new BigDecimal("1E+3")).detail("precise", new BigDecimal("0.1000000000000000055511151231257827"))
        .build();

    byte[] json = AuditEventJson.encode(e);
    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded).isEqualTo(e);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"decimal\":1.50", "\"exponent\":1E+3",
        "\"tenth\":0.1", "\"whole\":3.0", "\"negativeZero\":-0.0", "\"minLong\":-9223372036854775808");
  }

  @Test
  void givesBackNumbersOfOtherJavaTypesAsTheSameNumberAndTheSameBytes() {
    AuditEvent e = AuditEvent.builder().id("ev-types").eventType("t").entityType(EntityType.USER).createdAt(AT)
        .detail("long", 3L).detail("short", (short) 4).detail("byte", (byte) 5).detail("float", 1.5f)
        .detail("smallBig", BigInteger.valueOf(6)).detail("wholeDecimal", new BigDecimal("100"))
        .detail("shortDecimal", new BigDecimal("0.5")).build();

    byte[] json = AuditEventJson.encode(e);
    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded.details()).containsEntry("long", 3).containsEntry("short", 4).containsEntry("byte", 5)
        .containsEntry("float", 1.5).containsEntry("smallBig", 6).containsEntry("wholeDecimal", 100)
        .containsEntry("shortDecimal", 0.5);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
  }

  @Test
  void roundTripsCreatedAtAcrossTheYearsIso8601Allows() {
    for (String at : List.of("0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00.001Z", "-0001-06-15T12:00:00.500Z")) {
      AuditEvent e = AuditEvent.builder().id("ev-at").eventType("t").entityType(EntityType.USER)
          .createdAt(Instant.parse(at)).build();

      byte[] json = AuditEventJson.encode(e);
      AuditEvent decoded = AuditEventJson.decode(json);

      assertThat(decoded.createdAt()).as(at).isEqualTo(Instant.parse(at));
      assertThat(AuditEventJson.encode(decoded)).as(at).isEqualTo(json);
    }
  }

  @Test
  void roundTripsDetailsAtTheirLimits() {
    String longest = "-0." + "9".repeat(AuditEventJson.MAX_NUMBER_LENGTH - 3);
    BigInteger largest = new BigDecimal(Double.MAX_VALUE).toBigInteger();
    AuditEvent e = AuditEvent.builder().id("ev-limits").eventType("t").entityType(EntityType.USER).createdAt(AT)
        .details(nested(AuditEventJson.MAX_DETAILS_DEPTH)).detail("bigInteger", largest.negate())
        .detail("bigDecimal", new BigDecimal(longest)).build();

    byte[] json = AuditEventJson.encode(e);
    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded).isEqualTo(e);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
  }

  @Test
  void decodesTextAndBytesAlike() {
    AuditEvent e = AuditEvent.builder().id("ev-text").eventType("t").entity(EntityType.GROUP, 1L, "acme")
        .createdAt(AT).customMessage("\ud83d\ude00 caf\u00e9").build();

    assertThat(AuditEventJson.decode(json(e))).isEqualTo(AuditEventJson.decode(AuditEventJson.encode(e))).isEqualTo(e);
    assertThat(AuditEventJson.decode("\ufeff" + json(e))).as("after a byte order mark").isEqualTo(e);
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    byte[] latin1 = payload("author_name", "\"Bj\u00f6rn\"").getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> AuditEventJson.decode(latin1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payload must be UTF-8 text");
  }

  @Test
  void encodesTheSameEventToTheSameBytesOnEveryThread() throws Exception {
    AuditEvent e = VariedEvents.of(7L, 40).stream().max((a, b) -> a.details().size() - b.details().size()).orElseThrow();
    byte[] expected = AuditEventJson.encode(e);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<byte[]>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          List<byte[]> out = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            out.add(AuditEventJson.encode(AuditEventJson.decode(AuditEventJson.encode(e))));
          }
          return out;
        }));
      }
      for (Future<List<byte[]>> r : results) {
        assertThat(r.get()).allSatisfy(bytes -> assertThat(bytes).isEqualTo(expected));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- the namespace ----

  @Test
  void derivesTheNamespaceOfGroupAndProjectEventsFromTheirPath() {
    AuditEvent group = AuditEvent.builder().id("g").eventType("t").entity(EntityType.GROUP, 1L, "acme/sub")
        .createdAt(AT).build();
    AuditEvent project = AuditEvent.builder().id("p").eventType("t").entity(EntityType.PROJECT, 2L, "acme/sub/app")
        .createdAt(AT).build();

    assertThat(AuditEventJson.decode(AuditEventJson.encode(group)).namespace()).contains(Namespace.group("acme/sub"));
    assertThat(AuditEventJson.decode(AuditEventJson.encode(project)).namespace())
        .contains(Namespace.project("acme/sub/app"));
  }

  @Test
  void givesBackAnExplicitNamespaceOnlyWhenTheStoreRestoresIt() {
    AuditEvent e = AuditEvent.builder().id("u").eventType("user_added").entity(EntityType.USER, 3L, "alice")
        .namespace(Namespace.group("acme")).createdAt(AT).build();

    AuditEvent decoded = AuditEventJson.decode(AuditEventJson.encode(e));

    assertThat(decoded.namespace()).isEmpty();
    assertThat(decoded.toBuilder().namespace(Namespace.group("acme")).build()).isEqualTo(e);
  }

  @Test
  void decodesAnEventWhosePathIsNoValidNamespaceWithoutOne() {
    AuditEvent e = AuditEvent.builder().id("odd").eventType("t").entity(EntityType.PROJECT, 4L, "Acme Corp!")
        .namespace(Namespace.group("acme")).createdAt(AT).build();

    byte[] json = AuditEventJson.encode(e);
    AuditEvent decoded = AuditEventJson.decode(json);

    assertThat(decoded.namespace()).isEmpty();
    assertThat(decoded.entityPath()).isEqualTo("Acme Corp!");
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
  }

  // ---- what decode accepts besides its own output ----

  @Test
  void ignoresFieldsThePayloadDoesNotDefineAndReadsMissingDetailsAsEmpty() {
    AuditEvent expected = AuditEventJson.decode(payload("details", "{}"));

    assertThat(AuditEventJson.decode(payload("details", null))).isEqualTo(expected);
    assertThat(AuditEventJson.decode(payload("details", "null"))).isEqualTo(expected);
    assertThat(AuditEventJson.decode(payload("extra", "{\"x\":[1,{\"y\":null}]}"))).isEqualTo(expected);
    assertThat(expected.details()).isEmpty();
  }

  // ---- refusals ----

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("malformedPayloads")
  void refusesMalformedPayloadsNamingTheFieldAndTheRuleWithoutQuotingTheInput(
      String field, String payload, String rule) {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> AuditEventJson.decode(payload));

    assertThat(e).as("refused").isNotNull();
    assertThat(e.getMessage()).contains(field).contains(rule).doesNotContain(PII);
    assertThat(e.getCause()).as("no cause that could quote the input").isNull();
    assertThatThrownBy(() -> AuditEventJson.decode(payload.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(e.getMessage());
  }

  static Stream<Arguments> malformedPayloads() {
    String valid = payload("id", "\"ev-9\"");
    return Stream.of(
        Arguments.of("payload", "[\"" + PII + "\"]", "payload must be one JSON object"),
        Arguments.of("payload", "", "payload must be one JSON object"),
        Arguments.of("payload", "{" + PII, "payload must be well-formed JSON"),
        Arguments.of("payload", valid + " {\"" + PII + "\":1}", "nothing after it"),
        Arguments.of("payload", valid + PII, "payload must be well-formed JSON"),
        Arguments.of("id", payload("id", null), "id is required and must be a non-blank string"),
        Arguments.of("id", payload("id", "\"  \""), "id is required and must be a non-blank string"),
        Arguments.of("id", payload("id", "42"), "id must be a string or null"),
        Arguments.of("event_type", payload("event_type", null), "event_type is required"),
        Arguments.of("event_type", payload("event_type", "[\"" + PII + "\"]"), "event_type must be a string or null"),
        Arguments.of("entity_type", payload("entity_type", "\"" + PII + "\""), "must be Group, Project or User"),
        Arguments.of("entity_type", payload("entity_type", null), "entity_type is required"),
        Arguments.of("created_at", payload("created_at", "\"" + PII + "\""), "must be an ISO-8601 UTC timestamp"),
        Arguments.of("created_at", payload("created_at", null), "created_at is required"),
        Arguments.of("author_id", payload("author_id", "\"12 " + PII + "\""), "author_id must be an integer"),
        Arguments.of("entity_id", payload("entity_id", "1.5"), "entity_id must be an integer"),
        Arguments.of("target_id", payload("target_id", "99999999999999999999"), "target_id must be an integer"),
        Arguments.of("author_name", payload("author_name", "{\"" + PII + "\":1}"), "author_name must be a string or null"),
        Arguments.of("ip_address", payload("ip_address", "true"), "ip_address must be a string or null"),
        Arguments.of("target_type", valid.replace("\"details\"", "\"target_type\":\"" + PII + "\",\"details\""),
            "target_type must appear once"),
        Arguments.of("details", payload("details", "[\"" + PII + "\"]"), "details must be a JSON object or null"),
        Arguments.of("details", payload("details", "{\"" + PII + "\":1,\"" + PII + "\":2}"), "must not hold a key twice"),
        Arguments.of("details", payload("details", "{\"a\":" + PII + "}"), "payload must be well-formed JSON"),
        Arguments.of("details", payload("details", "{\"a\":1" + "0".repeat(AuditEventJson.MAX_NUMBER_LENGTH) + "}"),
            "must hold numbers of at most 1000 characters"),
        Arguments.of("details", payload("details", "{\"a\":1e99999999999}"), "exponent"),
        Arguments.of("details", payload("details", deepJson(AuditEventJson.MAX_DETAILS_DEPTH + 1)),
            "details must nest at most 500 levels deep"));
  }

  @Test
  void refusesWhenBuiltWhatJsonCannotCarryNamingTheRuleSoEveryBuiltEventEncodes() {
    AuditEvent.Builder b = AuditEvent.builder().id("ev-bad").eventType("t").entityType(EntityType.USER).createdAt(AT);

    assertThatThrownBy(() -> AuditEventJson.encode(b.detail(PII, Double.NaN).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("details." + PII))
        .hasMessageContaining("details must hold finite numbers")
        .hasMessageNotContaining(PII);
    assertThatThrownBy(() -> AuditEventJson.encode(b.details(Map.of(PII, Float.NEGATIVE_INFINITY)).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("details must hold finite numbers");
    assertThatThrownBy(() -> AuditEventJson.encode(b.details(nested(AuditEventJson.MAX_DETAILS_DEPTH + 1)).build()))
        .isInstanceOf(ValidationException.class).hasMessage("details must nest at most 500 levels deep");
    assertThatThrownBy(() -> AuditEventJson.encode(
        b.details(Map.of(PII, new BigDecimal("0." + "9".repeat(AuditEventJson.MAX_NUMBER_LENGTH - 1)))).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("details must hold numbers of at most 1000 characters");
    assertThatThrownBy(() -> AuditEventJson.encode(b.details(Map.of()).createdAt(Instant.MAX).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("created_at must lie within");
    // At the limits, the event builds and encodes.
    AuditEvent atLimits = b.details(Map.of("n", new BigDecimal("0." + "9".repeat(AuditEventJson.MAX_NUMBER_LENGTH - 2)),
        "deep", nested(AuditEventJson.MAX_DETAILS_DEPTH - 1))).createdAt(AT).build();
    assertThat(AuditEventJson.decode(AuditEventJson.encode(atLimits)).id()).isEqualTo("ev-bad");
  }

  private static final String PII = "alice.pii@example.com";

  /** A payload of a valid group event with {@code field} set to raw JSON {@code value}, or left out when null. */
  private static String payload(String field, String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", "\"ev-9\"");
    fields.put("event_type", "\"group_renamed\"");
    fields.put("author_id", "1");
    fields.put("author_name", "\"Bob\"");
    fields.put("entity_id", "9");
    fields.put("entity_type", "\"Group\"");
    fields.put("entity_path", "\"acme\"");
    fields.put("target_id", "null");
    fields.put("target_type", "null");
    fields.put("target_details", "null");
    fields.put("ip_address", "null");
    fields.put("created_at", "\"2026-11-25T19:30:00.123Z\"");
    fields.put("details", "{}");
    if (value == null) {
      fields.remove(field);
    } else {
      fields.put(field, value);
    }
    StringBuilder sb = new StringBuilder("{");
    fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return sb.append('}').toString();
  }

  /** Details that nest {@code levels} deep, counting the details object itself, alternating objects and lists. */
  private static Map<String, Object> nested(int levels) {
    Object value = "leaf";
    for (int level = levels; level > 1; level--) {
      value = level % 2 == 0 ? List.of(value) : Map.of("k", value);
    }
    return Map.of("k", value);
  }

  /** The JSON text of details nested {@code levels} deep. */
  private static String deepJson(int levels) {
    return "{\"k\":".repeat(levels) + "1" + "}".repeat(levels);
  }
}
