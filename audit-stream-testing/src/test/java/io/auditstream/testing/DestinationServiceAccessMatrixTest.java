package io.auditstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.NotFoundException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DestinationService;
import io.auditstream.testing.RoleAccessPolicy.Role;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every management operation of {@link DestinationService} against every kind of caller a host has,
 * through a real streamer whose host policy models roles ({@link RoleAccessPolicy}). Only an Owner of
 * the destination's top-level group, or an instance administrator the host's switch lets count as
 * one, may manage it; everyone else is refused, changes nothing and learns nothing; and the library
 * asks the policy only about the destination's top-level group.
 */
class DestinationServiceAccessMatrixTest {
  private static final String GROUP = "acme";
  private static final String OTHER_GROUP = "globex";
  private static final String ACME_TOKEN = "acme-token-7Qw3xZ9pLk";
  private static final String GLOBEX_TOKEN = "globex-token-4Rt8yU2mNb";
  private static final String ACME_NAME = "acme-audit-feed";
  private static final String GLOBEX_NAME = "globex-private-feed";
  private static final DestinationId UNKNOWN = DestinationId.of("00000000-0000-4000-8000-000000000000");
  private static final Actor SETUP = Actor.of("olivia");

  /** The kinds of caller a host has, with what the library must answer each. */
  enum Caller {
    OWNER_OF_TOP_LEVEL_GROUP("olivia", true),
    OWNER_OF_SUBGROUP_ONLY("sam", false),
    MAINTAINER("mia", false),
    DEVELOPER("dev", false),
    GUEST("gus", false),
    ANONYMOUS(null, false),
    OWNER_OF_ANOTHER_TOP_LEVEL_GROUP("otto", false),
    ADMIN_ALLOWED_BY_HOST_POLICY("ada", true),
    ADMIN_NOT_ALLOWED_BY_HOST_POLICY("adam", false);

    final String userId;
    final boolean mayManage;

    Caller(String userId, boolean mayManage) {
      this.userId = userId;
      this.mayManage = mayManage;
    }

    Actor actor() {
      return userId == null ? Actor.anonymous() : Actor.of(userId);
    }
  }

  /** One management operation, called as {@code actor} on the destination {@code id} of group {@code acme}. */
  @FunctionalInterface
  interface Operation {
    Object call(DestinationService s, Actor actor, DestinationId id);
  }

  /** Every public operation of {@link DestinationService} that takes an actor, by method name. */
  static Map<String, Operation> operations() {
    Map<String, Operation> ops = new LinkedHashMap<>();
    ops.put("create", (s, a, id) -> s.create(a, GROUP, TestDestinations.draft().name("another").build()));
    ops.put("list", (s, a, id) -> s.list(a, GROUP));
    ops.put("get", DestinationService::get);
    ops.put("update", (s, a, id) -> s.update(a, id, DestinationUpdate.builder().name("renamed").build()));
    ops.put("updateConfig", (s, a, id) -> s.updateConfig(a, id, RecordingDestinationConfig.class,
        c -> new RecordingDestinationConfig("edited")));
    ops.put("pause", (s, a, id) -> s.pause(a, id, "maintenance"));
    ops.put("resume", DestinationService::resume);
    ops.put("delete", (s, a, id) -> {
      s.delete(a, id);
      return null;
    });
    ops.put("setEventTypeFilter", (s, a, id) -> s.setEventTypeFilter(a, id, Set.of("user_created")));
    ops.put("clearEventTypeFilter", DestinationService::clearEventTypeFilter);
    ops.put("setNamespaceFilter", (s, a, id) -> s.setNamespaceFilter(a, id, Set.of(Namespace.group("acme/sub"))));
    ops.put("clearNamespaceFilter", DestinationService::clearNamespaceFilter);
    ops.put("verificationToken", DestinationService::verificationToken);
    ops.put("status", DestinationService::status);
    ops.put("sendTestEvent", DestinationService::sendTestEvent);
    ops.put("deadLetters", (s, a, id) -> s.deadLetters(a, id, 10));
    ops.put("redeliver", (s, a, id) -> s.redeliver(a, id, List.of("event-1")));
    ops.put("redeliverSince", (s, a, id) -> s.redeliverSince(a, id, Instant.EPOCH));
    ops.put("enableSigning", (s, a, id) -> s.enableSigning(a, id));
    // A rotation needs signing on: enabling first is refused to a non-Owner just the same.
    ops.put("rotateSigningSecret", (s, a, id) -> {
      s.enableSigning(a, id);
      return s.rotateSigningSecret(a, id);
    });
    ops.put("endSigningRotation", DestinationService::endSigningRotation);
    ops.put("disableSigning", DestinationService::disableSigning);
    return ops;
  }

  private static final Set<String> BY_GROUP = Set.of("create", "list");

  static Stream<Arguments> everyOperationByEveryCaller() {
    return operations().keySet().stream()
        .flatMap(op -> Arrays.stream(Caller.values()).map(caller -> Arguments.of(op, caller)));
  }

  private final RoleAccessPolicy roles = RoleAccessPolicy.create()
      .member("olivia", GROUP, Role.OWNER)
      .member("sam", "acme/sub", Role.OWNER)
      .member("mia", GROUP, Role.MAINTAINER)
      .member("dev", GROUP, Role.DEVELOPER)
      .member("gus", GROUP, Role.GUEST)
      .member("otto", OTHER_GROUP, Role.OWNER)
      .admin("ada")
      .admin("adam");
  private final RecordingSinkProvider sink = RecordingSinkProvider.create();
  private final RecordingDestinationStore store = new RecordingDestinationStore();
  private AuditStreamer streamer;
  private DestinationService service;
  private Destination acme;
  private Destination globex;

  @BeforeEach
  void startWithADestinationInEachGroupAndADeadLetter() {
    streamer = AuditStreamer.builder().accessPolicy(roles).destinationStore(store).addSinkProvider(sink).build();
    service = streamer.destinations();
    // otto owns globex; he may be set up there even when the admin switch is off.
    roles.adminsAreOwners(false);
    acme = service.create(SETUP, GROUP, TestDestinations.draft().name(ACME_NAME).verificationToken(ACME_TOKEN).build());
    globex = service.create(Actor.of("otto"), OTHER_GROUP,
        TestDestinations.draft().name(GLOBEX_NAME).verificationToken(GLOBEX_TOKEN).build());
    sink.failNextAttempts(1, false);
    AuditEvent event = AuditEvent.builder().id("event-1").eventType("user_created")
        .entity(EntityType.GROUP, 1L, GROUP).build();
    assertThat(streamer.stream(event)).isTrue();
    Await.until(Duration.ofSeconds(10), () -> !service.deadLetters(SETUP, acme.id(), 10).isEmpty(),
        "the failed event to be kept as a dead letter");
  }

  @AfterEach
  void close() {
    streamer.close();
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("everyOperationByEveryCaller")
  void onlyOwnersOfTheTopLevelGroupAndAllowedAdminsMayManageItsDestinations(String name, Caller caller) {
    roles.adminsAreOwners(caller == Caller.ADMIN_ALLOWED_BY_HOST_POLICY);
    Operation op = operations().get(name);
    State before = state();
    roles.clearQuestions();

    Throwable thrown = catchThrowable(() -> op.call(service, caller.actor(), acme.id()));

    assertAskedOnlyAboutTheTopLevelGroup(caller);
    if (caller.mayManage) {
      assertThat(thrown).as("%s by %s", name, caller).isNull();
      return;
    }
    assertRefusedRevealingNothing(name, caller, thrown);
    assertThat(state()).as("nothing changed after %s by %s", name, caller).isEqualTo(before);
  }

  @ParameterizedTest(name = "unknown id, {0}")
  @MethodSource("everyCaller")
  void aDestinationTheCallerMayNotManageGetsTheAnswerOfAnIdThatDoesNotExist(Caller caller) {
    roles.adminsAreOwners(caller == Caller.ADMIN_ALLOWED_BY_HOST_POLICY);
    operations().forEach((name, op) -> {
      if (BY_GROUP.contains(name)) {
        return;
      }
      Throwable unknown = catchThrowable(() -> op.call(service, caller.actor(), UNKNOWN));
      assertThat(unknown).as(name).isExactlyInstanceOf(NotFoundException.class)
          .hasMessage("no destination with id '" + UNKNOWN + "'");
      if (caller != Caller.ADMIN_ALLOWED_BY_HOST_POLICY) {
        // A destination of a group the caller does not own: globex's, or acme's for globex's Owner.
        Destination foreign = caller == Caller.OWNER_OF_ANOTHER_TOP_LEVEL_GROUP ? acme : globex;
        Throwable refused = catchThrowable(() -> op.call(service, caller.actor(), foreign.id()));
        assertThat(refused).as(name).isExactlyInstanceOf(NotFoundException.class)
            .hasMessage(unknown.getMessage().replace(UNKNOWN.value(), foreign.id().value()));
      }
    });
  }

  static Stream<Caller> everyCaller() {
    return Arrays.stream(Caller.values());
  }

  @Test
  void theMatrixCoversEveryPublicOperationThatTakesAnActor() {
    List<String> public_ = Arrays.stream(DestinationService.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .filter(m -> Arrays.asList(m.getParameterTypes()).contains(Actor.class))
        .map(Method::getName).distinct().toList();

    assertThat(operations().keySet()).containsExactlyInAnyOrderElementsOf(public_);
  }

  @Test
  void askingAboutASubgroupPathAsksOnlyAboutItsTopLevelGroup() {
    roles.clearQuestions();

    catchThrowable(() -> service.list(Actor.of("sam"), "acme/sub"));
    catchThrowable(() -> service.create(Actor.of("sam"), "acme/sub/deeper", TestDestinations.draft().build()));
    catchThrowable(() -> service.list(SETUP, "acme/sub"));

    assertThat(roles.groupsAskedAbout()).containsExactly(GROUP);
  }

  @Test
  void listingASubgroupIsRefusedWithAClearMessageNotAnsweredWithAnEmptyList() {
    assertThat(catchThrowable(() -> service.list(SETUP, "acme/sub")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("groupPath"))
        .hasMessageContaining("groupPath must be a top-level group")
        .hasMessageContaining("acme/sub");
    assertThat(catchThrowable(() -> service.list(Actor.of("sam"), "acme/sub")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(service.list(SETUP, GROUP)).extracting(Destination::name).containsExactly(ACME_NAME);
  }

  @Test
  void theAnonymousActorIsRefusedWithoutAskingTheHostPolicy() {
    roles.clearQuestions();
    AccessPolicyThatMustNotBeAsked strict = new AccessPolicyThatMustNotBeAsked();
    try (AuditStreamer other = AuditStreamer.builder().accessPolicy(strict).addSinkProvider(sink).build()) {
      Throwable listed = catchThrowable(() -> other.destinations().list(Actor.anonymous(), GROUP));
      Throwable got = catchThrowable(() -> other.destinations().get(Actor.anonymous(), UNKNOWN));

      assertThat(listed).isExactlyInstanceOf(AccessDeniedException.class)
          .hasMessage("only an Owner of group 'acme' may manage its streaming destinations");
      assertThat(got).isExactlyInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void anOwnerReadsTheTokenThroughItsOwnCallAndListingsLeaveItOut() {
    assertThat(service.verificationToken(SETUP, acme.id()).reveal()).isEqualTo(ACME_TOKEN);
    assertThat(service.get(SETUP, acme.id()).verificationToken()).isEmpty();
    assertThat(service.list(SETUP, GROUP)).allSatisfy(d -> assertThat(d.verificationToken()).isEmpty());
    assertThat(service.pause(SETUP, acme.id(), "maintenance").verificationToken()).isEmpty();
    assertThat(store.find(acme.id()).orElseThrow().verificationToken()).contains(Secret.of(ACME_TOKEN));
  }

  private void assertAskedOnlyAboutTheTopLevelGroup(Caller caller) {
    if (caller == Caller.ANONYMOUS) {
      assertThat(roles.questions()).as("the policy is not asked about the anonymous actor").isEmpty();
    } else {
      assertThat(roles.groupsAskedAbout()).containsExactly(GROUP);
      assertThat(roles.questions()).extracting(RoleAccessPolicy.Question::actor).containsOnly(caller.actor());
    }
  }

  private void assertRefusedRevealingNothing(String name, Caller caller, Throwable thrown) {
    if (BY_GROUP.contains(name)) {
      // The caller named the group, so it may be told it is not an Owner of it; the same words for everyone.
      assertThat(thrown).as("%s by %s", name, caller).isExactlyInstanceOf(AccessDeniedException.class)
          .hasMessage("only an Owner of group 'acme' may manage its streaming destinations");
    } else {
      Throwable unknown = catchThrowable(() -> operations().get(name).call(service, caller.actor(), UNKNOWN));
      assertThat(thrown).as("%s by %s", name, caller).isExactlyInstanceOf(unknown.getClass())
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(unknown.getMessage().replace(UNKNOWN.value(), acme.id().value()))
          .hasMessageNotContaining(GROUP);
    }
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage()) + t)
          .doesNotContain(ACME_TOKEN, GLOBEX_TOKEN, ACME_NAME, GLOBEX_NAME, OTHER_GROUP);
    }
  }

  /** What a refused call must leave as it was: the store, deliveries, dead letters and delivery health. */
  private record State(List<Destination> stored, int storeWrites, int received, List<String> deadLetters,
      DestinationStatus status) {}

  private State state() {
    streamer.flush(Duration.ofSeconds(10));
    List<Destination> stored = store.findAll();
    int writes = store.changes().size();
    int received = sink.received().size();
    List<String> dead = service.deadLetters(SETUP, acme.id(), 100).stream().map(DeadLetter::eventId).toList();
    DestinationStatus status = service.status(SETUP, acme.id());
    return new State(stored, writes, received, dead, status);
  }

  /** A host policy that fails the test when asked. */
  private static final class AccessPolicyThatMustNotBeAsked implements io.auditstream.api.spi.AccessPolicy {
    @Override
    public boolean isOwner(Actor actor, String groupPath) {
      throw new AssertionError("asked about " + actor + " in " + groupPath);
    }
  }
}
