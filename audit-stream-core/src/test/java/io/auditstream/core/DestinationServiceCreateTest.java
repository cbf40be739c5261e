package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ConflictException;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.core.fixtures.TestConfig;
import org.junit.jupiter.api.Test;

class DestinationServiceCreateTest {
  private final ServiceFixture f = new ServiceFixture();

  @Test
  void createsHttpDestinationWithGivenFields() {
    Destination d = f.service.create(OWNER, GROUP, DestinationDraft.http("https://siem.example.com/audit")
        .name("SIEM").verificationToken("abcdefghijklmnop").active(false).build());

    assertThat(d.groupPath()).isEqualTo(GROUP);
    assertThat(d.name()).isEqualTo("SIEM");
    assertThat(d.active()).isFalse();
    assertThat(d.verificationToken().orElseThrow().reveal()).isEqualTo("abcdefghijklmnop");
    assertThat(d.createdAt()).isEqualTo(f.clock.instant());
    assertThat(f.store.find(d.id())).contains(d);
  }

  @Test
  void acceptsNameOf72CharactersAndRejects73() {
    Destination d = f.service.create(OWNER, GROUP, DestinationDraft.http("https://a.example.com")
        .name("n".repeat(72)).build());
    assertThat(d.name()).hasSize(72);

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, DestinationDraft.http("https://b.example.com")
        .name("n".repeat(73)).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"))
        .hasMessageContaining("72");
  }

  @Test
  void generatesUniqueNamesWhenNoneGiven() {
    Destination a = f.createHttp("https://a.example.com");
    Destination b = f.createHttp("https://b.example.com");

    assertThat(a.name()).isNotBlank().hasSizeLessThanOrEqualTo(Destination.MAX_NAME_LENGTH);
    assertThat(b.name()).isNotBlank().isNotEqualTo(a.name());
  }

  @Test
  void generatesTokenOf24LettersAndDigits() {
    Destination a = f.createHttp("https://a.example.com");
    Destination b = f.createHttp("https://b.example.com");

    assertThat(a.verificationToken().orElseThrow().reveal()).hasSize(24).matches("[A-Za-z0-9]{24}");
    assertThat(b.verificationToken()).isNotEqualTo(a.verificationToken()).isPresent();
  }

  @Test
  void acceptsTokensOf16And24Characters() {
    assertThat(f.service.create(OWNER, GROUP, DestinationDraft.http("https://a.example.com")
        .verificationToken("t".repeat(16)).build()).verificationToken().orElseThrow().length()).isEqualTo(16);
    assertThat(f.service.create(OWNER, GROUP, DestinationDraft.http("https://b.example.com")
        .verificationToken("t".repeat(24)).build()).verificationToken().orElseThrow().length()).isEqualTo(24);
  }

  @Test
  void rejectsTokensOf15And25CharactersWithoutShowingThem() {
    for (int length : new int[] {15, 25}) {
      String token = "s3cr3t".repeat(5).substring(0, length);
      assertThatThrownBy(() -> DestinationDraft.http("https://a.example.com").verificationToken(token).build())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("verificationToken"))
          .hasMessageContaining("(was " + length + " characters)")
          .hasMessageNotContaining(token);
    }
  }

  @Test
  void rejectsSecondDestinationWithSameNameInGroup() {
    f.service.create(OWNER, GROUP, DestinationDraft.http("https://a.example.com").name("SIEM").build());

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP,
        DestinationDraft.http("https://b.example.com").name("SIEM").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
  }

  @Test
  void rejectsSecondDestinationWithSameUrlInGroup() {
    f.createHttp("https://a.example.com/audit");

    assertThatThrownBy(() -> f.createHttp("https://a.example.com/audit"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"));
    assertThat(f.store.findByGroup(GROUP)).hasSize(1);
  }

  @Test
  void allowsSameNameAndUrlInAnotherGroup() {
    f.service.create(OWNER, GROUP, DestinationDraft.http("https://a.example.com").name("SIEM").build());

    Destination other = f.service.create(OWNER, ServiceFixture.OTHER_GROUP,
        DestinationDraft.http("https://a.example.com").name("SIEM").build());

    assertThat(other.groupPath()).isEqualTo(ServiceFixture.OTHER_GROUP);
  }

  @Test
  void acceptsUrlOf255CharactersAndRejects256() {
    String prefix = "https://a.example.com/";
    String ok = prefix + "p".repeat(255 - prefix.length());
    assertThat(((HttpDestinationConfig) f.createHttp(ok).config()).destinationUrl()).hasSize(255);

    assertThatThrownBy(() -> f.createHttp(prefix + "q".repeat(256 - prefix.length())))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
        .hasMessageContaining("255");
  }

  @Test
  void rejectsUrlWithSchemeOtherThanHttpOrHttps() {
    assertThatThrownBy(() -> f.createHttp("ftp://a.example.com/audit"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
        .hasMessageContaining("http or https");
    assertThat(f.createHttp("http://plain.example.com").kind()).isEqualTo("http");
  }

  @Test
  void rejectsSixthDestinationOfAKindButAcceptsAnotherKind() {
    for (int i = 0; i < 5; i++) {
      f.createHttp("https://a.example.com/" + i);
    }

    assertThatThrownBy(() -> f.createHttp("https://a.example.com/5"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("at most 5");
    assertThat(f.createCustom().kind()).isEqualTo(ServiceFixture.CUSTOM_KIND);
  }

  @Test
  void honoursConfiguredPerKindLimit() {
    ServiceFixture small = new ServiceFixture(1);
    small.createHttp("https://a.example.com");

    assertThatThrownBy(() -> small.createHttp("https://b.example.com")).isInstanceOf(ConflictException.class);
  }

  @Test
  void rejectsKindWithoutSinkNamingTheArtifact() {
    DestinationDraft draft = DestinationDraft.builder(GcpLoggingDestinationConfig.builder()
        .googleProjectIdName("acme-audit").clientEmail("sa@acme-audit.iam.gserviceaccount.com")
        .privateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).build();

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, draft))
        .isInstanceOfSatisfying(MissingSinkException.class, e -> assertThat(e.kind()).isEqualTo("gcp"))
        .hasMessageContaining("io.auditstream:sink-gcp-logging");
  }

  @Test
  void rejectsConfigThatItsSinkProviderRefuses() {
    DestinationDraft draft = DestinationDraft.builder(TestConfig.of(ServiceFixture.CUSTOM_KIND, null)).build();

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, draft))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"));
    assertThat(f.store.findAll()).isEmpty();
  }

  @Test
  void rejectsHttpKindWhoseConfigIsNotAnHttpConfig() {
    DestinationDraft draft = DestinationDraft.builder(TestConfig.of("http", "https://a.example.com")).build();

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, draft))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"));
  }

  @Test
  void rejectsSubgroupAsOwnerOfDestinations() {
    assertThatThrownBy(() -> f.createHttpIn("acme/sub"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("groupPath"))
        .hasMessageContaining("top-level");
    assertThat(f.store.findAll()).isEmpty();
  }

  @Test
  void toldDeliverySideAboutTheNewDestination() {
    Destination d = f.createHttp("https://a.example.com");

    assertThat(f.delivery.saved).containsExactly(d);
  }
}
