package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ConflictException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.HttpDestinationConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import io.auditstream.core.fixtures.TestConfig;
import org.junit.jupiter.api.Test;

class DestinationServiceUpdateTest {
  private final ServiceFixture f = new ServiceFixture();

  private static HttpDestinationConfig http(Destination d) {
    return (HttpDestinationConfig) d.config();
  }

  @Test
  void updatesNameActiveUrlAndContentTypeKeepingTheToken() {
    Destination d = f.createHttp("https://a.example.com");

    Destination u = f.service.update(OWNER, d.id(), DestinationUpdate.builder().name("Renamed").active(false)
        .config(http(d).toBuilder().destinationUrl("https://b.example.com").contentType("application/json"))
        .build());

    assertThat(u.name()).isEqualTo("Renamed");
    assertThat(u.active()).isFalse();
    assertThat(http(u).destinationUrl()).isEqualTo("https://b.example.com");
    assertThat(http(u).contentType()).isEqualTo("application/json");
    assertThat(u.verificationToken()).isEmpty();
    assertThat(f.service.verificationToken(OWNER, d.id())).isEqualTo(d.verificationToken().orElseThrow());
    assertThat(u.createdAt()).isEqualTo(d.createdAt());
    assertThat(f.store.find(d.id()).orElseThrow().redacted()).isEqualTo(u);
    assertThat(f.delivery.saved.get(f.delivery.saved.size() - 1).redacted()).isEqualTo(u);
  }

  @Test
  void defaultsContentTypeToFormUrlEncoded() {
    assertThat(http(f.createHttp("https://a.example.com")).contentType())
        .isEqualTo("application/x-www-form-urlencoded");
  }

  @Test
  void offersNoWayToChangeTheToken() {
    boolean updateHasToken = Arrays.stream(DestinationUpdate.Builder.class.getMethods())
        .anyMatch(m -> m.getName().toLowerCase().contains("token"));
    boolean serviceSetsToken = Arrays.stream(DestinationService.class.getMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .map(Method::getName)
        .anyMatch(n -> n.toLowerCase().contains("token") && !n.equals("verificationToken"));

    assertThat(updateHasToken).isFalse();
    assertThat(serviceSetsToken).isFalse();
  }

  @Test
  void keepsTokenThroughEveryKindOfChange() {
    Destination d = f.createHttp("https://a.example.com");
    f.service.update(OWNER, d.id(), DestinationUpdate.builder()
        .config(HttpDestinationConfig.of("https://c.example.com")).build());
    f.service.updateConfig(OWNER, d.id(), HttpDestinationConfig.class, c -> c.toBuilder().header("X-A", "1").build());
    f.service.setEventTypeFilter(OWNER, d.id(), java.util.Set.of("user_created"));

    assertThat(f.service.verificationToken(OWNER, d.id())).isEqualTo(d.verificationToken().orElseThrow());
  }

  @Test
  void acceptsUpdateThatChangesNothing() {
    Destination d = f.createHttp("https://a.example.com");

    Destination same = f.service.update(OWNER, d.id(), DestinationUpdate.builder().name(d.name())
        .config(HttpDestinationConfig.of("https://a.example.com")).build());

    assertThat(same).isEqualTo(d.redacted());
    assertThat(f.delivery.saved).hasSize(1);
  }

  @Test
  void rejectsRenameToAnotherDestinationsNameButAllowsItsOwn() {
    Destination a = f.service.create(OWNER, GROUP, DestinationDraft.http("https://a.example.com").name("A").build());
    f.service.create(OWNER, GROUP, DestinationDraft.http("https://b.example.com").name("B").build());

    assertThatThrownBy(() -> f.service.update(OWNER, a.id(), DestinationUpdate.builder().name("B").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThat(f.service.update(OWNER, a.id(), DestinationUpdate.builder().name("A").active(false).build()).name())
        .isEqualTo("A");
  }

  @Test
  void rejectsUrlChangeToAnotherDestinationsUrl() {
    Destination a = f.createHttp("https://a.example.com");
    f.createHttp("https://b.example.com");

    assertThatThrownBy(() -> f.service.update(OWNER, a.id(),
        DestinationUpdate.builder().config(HttpDestinationConfig.of("https://b.example.com")).build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"));
    assertThat(f.store.find(a.id())).contains(a);
  }

  @Test
  void rejectsInvalidNameOnUpdate() {
    Destination a = f.createHttp("https://a.example.com");

    assertThatThrownBy(() -> f.service.update(OWNER, a.id(), DestinationUpdate.builder().name(" ").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThat(f.store.find(a.id())).contains(a);
  }

  @Test
  void updateCarriesAConfigOfTheKindNotFieldsOfOneKind() {
    assertThat(Arrays.stream(DestinationUpdate.class.getMethods()).map(Method::getName))
        .doesNotContain("destinationUrl", "contentType", "headers");
  }

  @Test
  void reportsBadConfigAndBadNameOfAnUpdateTogether() {
    assertThatThrownBy(() -> DestinationUpdate.builder().name("n".repeat(73))
        .config(HttpDestinationConfig.builder().destinationUrl("ftp://a.example.com")).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactlyInAnyOrder("destinationUrl", "name"));
  }

  @Test
  void replacesConfigOfSameKindAndRejectsAnotherKind() {
    Destination c = f.createCustom();
    TestConfig next = TestConfig.of(ServiceFixture.CUSTOM_KIND, "q2");

    Destination updated = f.service.update(OWNER, c.id(), DestinationUpdate.builder().config(next).build());

    assertThat(f.store.find(c.id()).orElseThrow().config())
        .isEqualTo(TestConfig.withKey(ServiceFixture.CUSTOM_KIND, "q2", "super-secret-api-key"));
    assertThat(((TestConfig) updated.config()).apiKey().isPresent()).isFalse();
    assertThatThrownBy(() -> f.service.update(OWNER, c.id(),
        DestinationUpdate.builder().config(HttpDestinationConfig.of("https://a.example.com")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"));
  }

  @Test
  void rejectsReplacementConfigThatItsSinkProviderRefuses() {
    Destination c = f.createCustom();

    assertThatThrownBy(() -> f.service.update(OWNER, c.id(), DestinationUpdate.builder()
        .config(TestConfig.of(ServiceFixture.CUSTOM_KIND, " ")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"));
    assertThat(f.store.find(c.id()).map(Destination::redacted)).contains(c.redacted());
  }
}
