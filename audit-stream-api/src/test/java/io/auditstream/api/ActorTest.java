package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActorTest {
  @Test
  void aSignedInActorHasItsIdAndEqualsAnotherWithTheSameId() {
    Actor alice = Actor.of("alice");

    assertThat(alice.id()).isEqualTo("alice");
    assertThat(alice.isAnonymous()).isFalse();
    assertThat(alice).isEqualTo(Actor.of("alice")).hasSameHashCodeAs(Actor.of("alice")).isNotEqualTo(Actor.of("bob"));
  }

  @Test
  void theAnonymousActorHasNoIdAndEqualsNoSignedInActor() {
    Actor anonymous = Actor.anonymous();

    assertThat(anonymous.isAnonymous()).isTrue();
    assertThat(anonymous).isSameAs(Actor.anonymous()).isNotEqualTo(Actor.of("anonymous"));
    assertThat(anonymous.toString()).isEqualTo("Actor[anonymous]");
    assertThatThrownBy(anonymous::id).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesAMissingOrBlankId() {
    assertThatThrownBy(() -> Actor.of(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Actor.of(" "))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("actor.id"));
  }

  @Test
  void showsItsIdOnOneLine() {
    assertThat(Actor.of("eve\nINFO forged").toString()).isEqualTo("Actor[id=eve\\nINFO forged]");
  }
}
