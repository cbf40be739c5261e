package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a host puts in an event is either refused when it is built, or encoded as one well-formed
 * JSON object of valid UTF-8 that decodes back to an equal event and re-encodes to the same bytes, and
 * whose size the event's bound does not understate.
 */
class AuditEventJsonPropertyTest {
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
        Arbitraries.strings().withChars("a\"\\\u0000\u001f\u007f\u00e9\u2028\u4e2d\ud83d\ude00\ud800\n\t".toCharArray())
            .ofMaxLength(40));
  }

  @Provide
  Arbitrary<Object> values() {
    Arbitrary<Object> leaf = Arbitraries.oneOf(texts().map(s -> s), Arbitraries.longs().map(l -> l),
        Arbitraries.integers().map(i -> i), Arbitraries.doubles().map(d -> d), Arbitraries.floats().map(f -> f),
        Arbitraries.bigDecimals().map(b -> b), Arbitraries.of(true, false), Arbitraries.just(null));
    return Arbitraries.oneOf(leaf, leaf.list().ofMaxSize(4).map(l -> l),
        Arbitraries.maps(texts(), leaf).ofMaxSize(4).map(m -> m));
  }

  @Property(tries = 300)
  void everyBuiltEventEncodesAsValidJsonWithinItsBoundAndRoundTrips(@ForAll("texts") String author,
      @ForAll("texts") String target, @ForAll("texts") String key, @ForAll("values") Object value) {
    AuditEvent event;
    try {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put(key, value);
      event = AuditEvent.builder().id("evt-1").eventType("user_created").entity(EntityType.GROUP, 1L, "acme")
          .author(7L, author).target(1L, "User", target).details(details).build();
    } catch (ValidationException refused) {
      assertThat(refused.field()).as(refused.getMessage())
          .matches(f -> f.equals("author_name") || f.equals("target_details") || f.startsWith("details."));
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("building threw " + e.getClass().getName() + " instead of a ValidationException", e);
    }

    byte[] json = AuditEventJson.encode(event);

    assertThat(event.encodedSizeBound()).isGreaterThanOrEqualTo(json.length);
    assertWellFormedUtf8Object(json);
    AuditEvent decoded = AuditEventJson.decode(json);
    assertThat(AuditEventJson.encode(decoded)).isEqualTo(json);
    assertThat(decoded.authorName()).isEqualTo(author);
    assertThat(decoded.targetDetails()).isEqualTo(target);
    assertThat(decoded.details().keySet()).isEqualTo(event.details().keySet());
  }

  private static void assertWellFormedUtf8Object(byte[] json) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json));
    } catch (CharacterCodingException e) {
      throw new AssertionError("payload is not valid UTF-8", e);
    }
    String text = new String(json, StandardCharsets.UTF_8);
    // No escaped lone surrogate either: strict receivers refuse them.
    assertThat(text).doesNotContainPattern("\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F])");
    try (JsonParser p = AuditEventJson.FACTORY.createParser(json)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      p.skipChildren();
      assertThat(p.nextToken()).isNull();
    } catch (java.io.IOException e) {
      throw new AssertionError("payload is not well-formed JSON", e);
    }
    assertThat(List.of(text)).allSatisfy(t -> assertThat(t).doesNotContain("\n", "\r"));
  }
}
