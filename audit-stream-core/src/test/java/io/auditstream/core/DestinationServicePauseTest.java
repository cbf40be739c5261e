package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static io.auditstream.core.ServiceFixture.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.NotFoundException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationUpdate;
import org.junit.jupiter.api.Test;

/** Pausing and resuming destinations, as their Owners do and as the engine does after sustained failure. */
class DestinationServicePauseTest {
  private final ServiceFixture f = new ServiceFixture();

  @Test
  void pauseSavesTheReasonTellsTheDeliverySideAndGetAndStatusShowIt() {
    Destination d = f.createHttp("https://a.example.com");

    Destination paused = f.service.pause(OWNER, d.id(), "receiver under maintenance");

    assertThat(paused.pausedReason()).contains("receiver under maintenance");
    assertThat(paused.active()).isTrue();
    assertThat(f.store.find(d.id()).map(Destination::redacted)).contains(paused);
    assertThat(f.delivery.saved).last().extracting(Destination::redacted).isEqualTo(paused);
    assertThat(f.service.get(OWNER, d.id()).pausedReason()).contains("receiver under maintenance");
    assertThat(f.service.status(OWNER, d.id()).pausedReason()).contains("receiver under maintenance");
    assertThat(f.service.status(OWNER, d.id()).pending()).isEqualTo(3);
  }

  @Test
  void resumeClearsTheReasonAndResumingADestinationThatIsNotPausedChangesNothing() {
    Destination d = f.createHttp("https://a.example.com");
    f.service.pause(OWNER, d.id(), "receiver under maintenance");
    int saves = f.delivery.saved.size();

    Destination resumed = f.service.resume(OWNER, d.id());

    assertThat(resumed.pausedReason()).isEmpty();
    assertThat(f.store.find(d.id()).map(Destination::redacted)).contains(resumed);
    assertThat(f.delivery.saved).hasSize(saves + 1).last().extracting(Destination::redacted).isEqualTo(resumed);
    assertThat(f.service.status(OWNER, d.id()).pausedReason()).isEmpty();
    assertThat(f.service.resume(OWNER, d.id())).isEqualTo(resumed);
    assertThat(f.delivery.saved).hasSize(saves + 1);
  }

  @Test
  void pausingAgainWithTheSameReasonChangesNothingAndWithAnotherReplacesIt() {
    Destination d = f.createHttp("https://a.example.com");
    Destination paused = f.service.pause(OWNER, d.id(), "maintenance");
    int saves = f.delivery.saved.size();

    assertThat(f.service.pause(OWNER, d.id(), "maintenance")).isEqualTo(paused);
    assertThat(f.delivery.saved).hasSize(saves);
    assertThat(f.service.pause(OWNER, d.id(), "moving data centres").pausedReason()).contains("moving data centres");
    assertThat(f.delivery.saved).hasSize(saves + 1);
  }

  @Test
  void pauseAndResumeAreForOwnersOnly() {
    Destination d = f.createHttp("https://a.example.com");
    int saves = f.delivery.saved.size();

    assertThatThrownBy(() -> f.service.pause(STRANGER, d.id(), "mine now")).isInstanceOf(NotFoundException.class)
        .hasMessage("no destination with id '" + d.id() + "'");
    f.service.pause(OWNER, d.id(), "maintenance");
    assertThatThrownBy(() -> f.service.resume(STRANGER, d.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.service.pause(OWNER, DestinationId.of("nope"), "x"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.service.resume(OWNER, DestinationId.of("nope"))).isInstanceOf(NotFoundException.class);

    assertThat(f.store.find(d.id()).orElseThrow().pausedReason()).contains("maintenance");
    assertThat(f.delivery.saved).hasSize(saves + 1);
  }

  @Test
  void refusesABlankOrOverlongReasonNamingTheFieldAndChangesNothing() {
    Destination d = f.createHttp("https://a.example.com");

    for (String reason : new String[] {" ", "r".repeat(Destination.MAX_PAUSED_REASON_LENGTH + 1)}) {
      assertThatThrownBy(() -> f.service.pause(OWNER, d.id(), reason))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pausedReason"));
    }
    assertThatThrownBy(() -> f.service.pause(OWNER, d.id(), null)).isInstanceOf(NullPointerException.class);
    assertThat(f.store.find(d.id())).contains(d);
  }

  @Test
  void pausedAndInactiveAreApartAnUpdateKeepsThePause() {
    Destination d = f.createHttp("https://a.example.com");
    f.service.pause(OWNER, d.id(), "maintenance");

    Destination off = f.service.update(OWNER, d.id(), DestinationUpdate.builder().active(false).name("Off").build());

    assertThat(off.active()).isFalse();
    assertThat(off.pausedReason()).contains("maintenance");
    Destination on = f.service.update(OWNER, d.id(), DestinationUpdate.builder().active(true).build());
    assertThat(on.active()).isTrue();
    assertThat(on.paused()).isTrue();
    assertThat(f.service.resume(OWNER, d.id()).active()).isTrue();
  }

  @Test
  void anAutomaticPauseLeavesAPausedOrDeletedDestinationAlone() {
    Destination d = f.createHttp("https://a.example.com");

    assertThat(f.service.pauseAutomatically(d.id(), "paused automatically after failing for 1 day: HTTP 503")).isTrue();
    assertThat(f.store.find(d.id()).orElseThrow().pausedReason())
        .contains("paused automatically after failing for 1 day: HTTP 503");
    assertThat(f.delivery.saved).last().satisfies(s -> assertThat(s.paused()).isTrue());

    // An Owner's pause is not overwritten.
    Destination other = f.createHttp("https://b.example.com");
    f.service.pause(OWNER, other.id(), "maintenance");
    assertThat(f.service.pauseAutomatically(other.id(), "paused automatically ...")).isFalse();
    assertThat(f.store.find(other.id()).orElseThrow().pausedReason()).contains("maintenance");

    f.service.delete(OWNER, d.id());
    assertThat(f.service.pauseAutomatically(d.id(), "paused automatically ...")).isFalse();
  }
}
