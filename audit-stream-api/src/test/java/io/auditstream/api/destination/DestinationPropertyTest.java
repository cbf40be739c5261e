package io.auditstream.api.destination;

import static io.auditstream.api.ValidationOutcome.acceptedOrRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.GeneratedText;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every generated destination setting (name, verification token, paused reason, filters) and
 * namespace path is either accepted, and then kept unchanged through {@code toBuilder()}, or refused
 * with a {@link io.auditstream.api.ValidationException} naming the field.
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
  Arbitrary<String> tokens() {
    return GeneratedText.near(TOKEN, 30);
  }

  @Property
  void verificationToken(@ForAll("tokens") String token) {
    field("verificationToken", b -> b.verificationToken(Secret.of(token)));
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
