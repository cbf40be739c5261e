package io.auditstream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.testing.RoleAccessPolicy.Role;
import org.junit.jupiter.api.Test;

class RoleAccessPolicyTest {
  private final RoleAccessPolicy roles = RoleAccessPolicy.create()
      .member("olivia", "acme", Role.OWNER)
      .member("sam", "acme/sub", Role.OWNER)
      .member("dev", "acme", Role.DEVELOPER)
      .member("dev", "acme/sub", Role.MAINTAINER)
      .admin("ada");

  @Test
  void anOwnerRoleIsInheritedDownwardsNeverUpwards() {
    assertThat(roles.isOwner(Actor.of("olivia"), "acme")).isTrue();
    assertThat(roles.isOwner(Actor.of("olivia"), "acme/sub")).isTrue();
    assertThat(roles.isOwner(Actor.of("sam"), "acme/sub/deeper")).isTrue();
    assertThat(roles.isOwner(Actor.of("sam"), "acme")).isFalse();
    assertThat(roles.isOwner(Actor.of("olivia"), "acmex")).isFalse();
    assertThat(roles.isOwner(Actor.of("olivia"), "globex")).isFalse();
  }

  @Test
  void theEffectiveRoleIsTheHighestHeldThereOrAbove() {
    assertThat(roles.roleOf(Actor.of("dev"), "acme")).contains(Role.DEVELOPER);
    assertThat(roles.roleOf(Actor.of("dev"), "acme/sub/api")).contains(Role.MAINTAINER);
    assertThat(roles.roleOf(Actor.of("dev"), "globex")).isEmpty();
    assertThat(roles.isOwner(Actor.of("dev"), "acme")).isFalse();
  }

  @Test
  void administratorsAreOwnersOnlyWhenTheHostSwitchSaysSo() {
    assertThat(roles.isOwner(Actor.of("ada"), "acme")).isFalse();
    roles.adminsAreOwners(true);
    assertThat(roles.isOwner(Actor.of("ada"), "acme")).isTrue();
    assertThat(roles.isOwner(Actor.of("olivia"), "globex")).isFalse();
  }

  @Test
  void theAnonymousActorIsNeverAnOwnerAndEveryQuestionIsRecorded() {
    assertThat(roles.isOwner(Actor.anonymous(), "acme")).isFalse();
    roles.isOwner(Actor.of("sam"), "globex");

    assertThat(roles.questions()).containsExactly(new RoleAccessPolicy.Question(Actor.anonymous(), "acme"),
        new RoleAccessPolicy.Question(Actor.of("sam"), "globex"));
    assertThat(roles.groupsAskedAbout()).containsExactly("acme", "globex");
    roles.clearQuestions();
    assertThat(roles.questions()).isEmpty();
  }
}
