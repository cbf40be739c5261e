package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static io.auditstream.core.ServiceFixture.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.NotFoundException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.WebhookSigning;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationServiceSigningTest {
  private static final Secret FIRST = Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  private static final Secret SECOND = Secret.of("whsec_" + Base64.getEncoder().encodeToString(new byte[48]));

  private final ServiceFixture f = new ServiceFixture();

  private WebhookSigning stored(Destination d) {
    return f.store.find(d.id()).orElseThrow().signing();
  }

  @Test
  void aNewDestinationDoesNotSign() {
    Destination d = f.createHttp("https://siem.example.com");

    assertThat(stored(d)).isEqualTo(WebhookSigning.off());
  }

  @Test
  void enablesSigningWithAGivenSecretAndNeverReturnsIt() {
    Destination d = f.createHttp("https://siem.example.com");

    Destination returned = f.service.enableSigning(OWNER, d.id(), FIRST);

    assertThat(stored(d).secrets()).containsExactly(FIRST);
    assertThat(returned.signing().enabled()).isTrue();
    assertThat(returned.signing().current().isRedacted()).isTrue();
    assertThat(f.service.get(OWNER, d.id()).signing().current().isRedacted()).isTrue();
    assertThat(f.service.list(OWNER, GROUP)).singleElement()
        .satisfies(l -> assertThat(l.signing().current().isRedacted()).isTrue());
    assertThat(f.delivery.saved).last().satisfies(s -> assertThat(s.signing().secrets()).containsExactly(FIRST));
  }

  @Test
  void enablesSigningWithAGeneratedSecretShownOnce() {
    Destination d = f.createHttp("https://siem.example.com");

    Secret generated = f.service.enableSigning(OWNER, d.id());

    assertThat(generated.reveal()).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(generated.reveal().substring(6)))
        .hasSize(DestinationService.GENERATED_SIGNING_KEY_BYTES);
    assertThat(stored(d).secrets()).containsExactly(generated);
    assertThat(DestinationService.newSigningSecret()).isNotEqualTo(generated);
  }

  @Test
  void createsASigningDestinationFromADraft() {
    Destination created = f.service.create(OWNER, GROUP,
        DestinationDraft.http("https://siem.example.com").signingSecret(FIRST.reveal()).build());

    assertThat(stored(created).secrets()).containsExactly(FIRST);
    assertThat(created.signing().current().isRedacted()).isTrue();
  }

  @Test
  void rotationSignsWithBothSecretsUntilItEndsThenDisablingForgetsThem() {
    Destination d = f.createHttp("https://siem.example.com");
    f.service.enableSigning(OWNER, d.id(), FIRST);

    Destination rotating = f.service.rotateSigningSecret(OWNER, d.id(), SECOND);

    assertThat(rotating.signing().rotating()).isTrue();
    assertThat(stored(d).secrets()).containsExactly(SECOND, FIRST);
    f.service.endSigningRotation(OWNER, d.id());
    assertThat(stored(d).secrets()).containsExactly(SECOND);
    f.service.disableSigning(OWNER, d.id());
    assertThat(stored(d)).isEqualTo(WebhookSigning.off());
  }

  @Test
  void rotatesToAGeneratedSecret() {
    Destination d = f.createHttp("https://siem.example.com");
    f.service.enableSigning(OWNER, d.id(), FIRST);

    Secret next = f.service.rotateSigningSecret(OWNER, d.id());

    assertThat(stored(d).secrets()).containsExactly(next, FIRST);
  }

  @Test
  void refusesABadSecretNamingTheFieldWithoutEchoingItAndChangesNothing() {
    Destination d = f.createHttp("https://siem.example.com");
    int saves = f.delivery.saved.size();

    for (String bad : List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8I", "whsec_%%%%notbase64%%%%")) {
      assertThatThrownBy(() -> f.service.enableSigning(OWNER, d.id(), Secret.of(bad)))
          .isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("signingSecret"))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.replace("whsec_", "")));
    }
    assertThat(stored(d)).isEqualTo(WebhookSigning.off());
    assertThat(f.delivery.saved).hasSize(saves);
  }

  @Test
  void refusesToRotateWhenSigningIsOff() {
    Destination d = f.createHttp("https://siem.example.com");

    assertThatThrownBy(() -> f.service.rotateSigningSecret(OWNER, d.id(), SECOND))
        .isInstanceOf(ValidationException.class).hasMessageContaining("signing is off");
  }

  @Test
  void onlyAnOwnerManagesSigningAndARefusedCallChangesNothing() {
    Destination d = f.createHttp("https://siem.example.com");
    f.service.enableSigning(OWNER, d.id(), FIRST);
    WebhookSigning before = stored(d);

    List<Runnable> calls = List.of(
        () -> f.service.enableSigning(STRANGER, d.id(), SECOND),
        () -> f.service.enableSigning(STRANGER, d.id()),
        () -> f.service.rotateSigningSecret(STRANGER, d.id(), SECOND),
        () -> f.service.rotateSigningSecret(STRANGER, d.id()),
        () -> f.service.endSigningRotation(STRANGER, d.id()),
        () -> f.service.disableSigning(STRANGER, d.id()));
    // A destination of a group the caller does not own is answered as one that does not exist.
    for (Runnable call : calls) {
      assertThatThrownBy(call::run).isInstanceOf(NotFoundException.class);
    }
    assertThat(stored(d)).isEqualTo(before);
  }

  @Test
  void endingNoRotationAndDisablingWhenOffChangeNothing() {
    Destination d = f.createHttp("https://siem.example.com");
    int saves = f.delivery.saved.size();

    f.service.endSigningRotation(OWNER, d.id());
    f.service.disableSigning(OWNER, d.id());

    assertThat(f.delivery.saved).hasSize(saves);
  }
}
