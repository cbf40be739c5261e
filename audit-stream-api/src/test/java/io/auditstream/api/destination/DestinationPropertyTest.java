package io.auditstream.api.destination;

import static io.auditstream.api.ValidationOutcome.acceptedOrRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.GeneratedText;
import io.auditstream.api.LogText;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every generated destination setting (id, name, verification token, paused reason, filters) and
 * namespace path is either accepted, and then kept unchanged through {@code toBuilder()}, or refused
 * with a {@link io.auditstream.api.ValidationException} naming the field; so is every setting a draft or
 * an update checks before it is saved. An accepted verification token can be sent as its header.
 */
class DestinationPropertyTest {
  private static final String PATH = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/";
  private static final String TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

  private static Destination.Builder valid() {
    return Destination.builder().id(DestinationId.random()).groupPath("acme").name("Audit receiver")
        .verificationToken(Secret.of("0123456789abcdefXYZ")).config(HttpDestinationConfig.of("https://r.example.com/e"))
        .createdAt(Instant.parse("2026-11-25T19:30:00Z"));
  }

  private static void field(String field, UnaryOperator<Destination.Builder> change) {
    acceptedOrRefused(field, () -> change.apply(valid()).build(), d -> assertThat(d.toBuilder().build()).isEqualTo(d));
  }

  @Provide
  Arbitrary<String> names() {
    return GeneratedText.near("abcdefghijklmnopqrstuvwxyz ABC-_.0123456789", 80);
  }

  @Property
  void name(@ForAll("names") String name) {
    field("name", b -> b.name(name));
  }

  @Provide
  Arbitrary<String> namesOrNone() {
    return Arbitraries.oneOf(names(), Arbitraries.just(null),
        Arbitraries.of(" ", "\u2028", "a\u2029b", "\u0085name", "x".repeat(Destination.MAX_NAME_LENGTH),
            "x".repeat(Destination.MAX_NAME_LENGTH + 1)));
  }

  @Property
  void nameOfADraftOrAnUpdateIsAcceptedUnchangedWithoutControlCharactersOrRefusedNamingIt(
      @ForAll("namesOrNone") String name) {
    acceptedOrRefused("name", () -> DestinationDraft.http("https://r.example.com/e").name(name).build(), draft -> {
      assertThat(draft.name()).isEqualTo(Optional.ofNullable(name));
      assertSavable(name);
    });
    acceptedOrRefused("name", () -> DestinationUpdate.builder().name(name).build(), update -> {
      assertThat(update.name()).isEqualTo(Optional.ofNullable(name));
      assertSavable(name);
    });
  }

  /** A saved name is shown and logged on one line. */
  private static void assertSavable(String name) {
    if (name != null) {
      assertThat(name).isNotBlank().hasSizeLessThanOrEqualTo(Destination.MAX_NAME_LENGTH);
      assertThat(LogText.hasControlCharacters(name)).isFalse();
    }
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.oneOf(GeneratedText.near(TOKEN, 70), Arbitraries.just(null),
        Arbitraries.of(UUID.randomUUID().toString(), " ", "\t", "x".repeat(64), "x".repeat(65)));
  }

  @Property
  void id(@ForAll("ids") String id) {
    acceptedOrRefused("id", () -> valid().id(DestinationId.of(id)).build(), d -> {
      assertThat(d.id().value()).isEqualTo(id);
      assertThat(d.toBuilder().build()).isEqualTo(d);
    });
  }

  @Provide
  Arbitrary<String> tokens() {
    // Lengths around the 16 to 24 bounds too: left to jqwik's sizes, few tokens would be long enough.
    return Arbitraries.oneOf(GeneratedText.near(TOKEN, 30),
        Arbitraries.strings().withChars((TOKEN + " \u007f\u00ff").toCharArray()).ofMinLength(14).ofMaxLength(26));
  }

  @Provide
  Arbitrary<String> tokensOrNone() {
    return Arbitraries.oneOf(tokens(), Arbitraries.just(null),
        Arbitraries.of("0123456789abcde\u00ff", "0123456789abcdef\u007f", "0123456789abc def", "\u0000".repeat(16)));
  }

  @Property
  void verificationTokenIsAcceptedAndSendableAsItsHeaderOrRefusedNamingIt(@ForAll("tokensOrNone") String token) {
    field("verificationToken", b -> b.verificationToken(token == null ? null : Secret.of(token)));
    acceptedOrRefused("verificationToken", () -> valid().verificationToken(token == null ? null : Secret.of(token))
        .build(), d -> JdkSending.assertHeaderCanBeSent(HttpHeader.TOKEN_HEADER, token));
  }

  @Property
  void verificationTokenOfADraftIsAcceptedAndSendableOrLeftToTheEngineOrRefusedNamingIt(
      @ForAll("tokensOrNone") String token) {
    acceptedOrRefused("verificationToken",
        () -> DestinationDraft.http("https://r.example.com/e").verificationToken(token).build(), draft -> {
          assertThat(draft.verificationToken()).isEqualTo(Optional.ofNullable(token).map(Secret::of));
          if (token != null) {
            JdkSending.assertHeaderCanBeSent(HttpHeader.TOKEN_HEADER, token);
            assertThat(draft.toString()).doesNotContain(token);
          }
        });
  }

  @Property
  void pausedReason(@ForAll("names") String reason) {
    field("pausedReason", b -> b.paused(reason));
  }

  @Provide
  Arbitrary<String> eventTypes() {
    return GeneratedText.near("abcdefghijklmnopqrstuvwxyz_", 260);
  }

  @Property
  void eventTypeFilter(@ForAll("eventTypes") String type) {
    field("eventTypeFilter", b -> b.eventTypeFilter(List.of(type)));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(GeneratedText.near(PATH, 40), GeneratedText.after("acme/", PATH, 40),
        GeneratedText.near(PATH, 260));
  }

  @Property
  void namespaceFilter(@ForAll("paths") String path, @ForAll boolean project) {
    acceptedOrRefused("namespace", () -> project ? Namespace.project(path) : Namespace.group(path),
        ns -> field("namespaceFilter", b -> b.namespaceFilter(List.of(ns))));
  }

  @Property
  void groupPath(@ForAll("paths") String path) {
    field("groupPath", b -> b.groupPath(path).namespaceFilter(List.of()));
  }

  @Property
  void namespacePathIsAcceptedUnchangedOrRefusedNamingTheField(@ForAll("paths") String path) {
    acceptedOrRefused("namespace", () -> Namespace.group(path), ns -> {
      assertThat(ns.fullPath()).isEqualTo(path);
      assertThat(path).startsWith(ns.topLevelGroup());
      assertThat(Namespace.group(ns.fullPath())).isEqualTo(ns);
    });
  }
}
