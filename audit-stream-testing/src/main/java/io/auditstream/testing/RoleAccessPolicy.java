package io.auditstream.testing;

import io.auditstream.api.Actor;
import io.auditstream.api.Namespace;
import io.auditstream.api.spi.AccessPolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An {@link AccessPolicy} that models roles as a host does, for tests of access to destination
 * management: memberships per (user, namespace path, role), a role held in a group inherited by its
 * subgroups and projects (downwards, never upwards: an Owner of {@code acme/sub} is nothing in {@code
 * acme}), and instance administrators, who count as Owners of every group only when the host's switch
 * {@link #adminsAreOwners(boolean)} says so (off by default).
 *
 * <p>It records every question the library asks ({@link #questions()}), so a test can check that
 * only the destination's top-level group is asked about. The {@linkplain Actor#anonymous()
 * anonymous} actor is never an Owner.
 *
 * <pre>{@code
 * RoleAccessPolicy roles = RoleAccessPolicy.create()
 *     .member("alice", "acme", Role.OWNER)
 *     .member("bob", "acme", Role.DEVELOPER)
 *     .admin("root").adminsAreOwners(true);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RoleAccessPolicy implements AccessPolicy {
  /** The roles of a member of a group or project, lowest first. */
  public enum Role {
    /** Sees the group, may not change it. */
    GUEST,
    /** Reads code and issues. */
    REPORTER,
    /** Pushes code. */
    DEVELOPER,
    /** Manages projects, not the group's settings. */
    MAINTAINER,
    /** Manages the group, including its streaming destinations. */
    OWNER
  }

  /**
   * One question the library asked.
   *
   * @param actor who the call was made for
   * @param groupPath the group it asked about
   */
  public record Question(Actor actor, String groupPath) {}

  private final Map<String, Map<String, Role>> memberships = new ConcurrentHashMap<>();
  private final Set<String> admins = ConcurrentHashMap.newKeySet();
  private final List<Question> questions = new CopyOnWriteArrayList<>();
  private volatile boolean adminsAreOwners;

  private RoleAccessPolicy() {}

  /** A policy with no members and no administrators; administrators are not Owners. */
  public static RoleAccessPolicy create() {
    return new RoleAccessPolicy();
  }

  /**
   * Makes {@code userId} a member of the group or project {@code namespacePath} with {@code role},
   * replacing any role it had there.
   *
   * @throws io.auditstream.api.ValidationException when {@code namespacePath} is not a valid path
   */
  public RoleAccessPolicy member(String userId, String namespacePath, Role role) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(role, "role");
    Namespace.validatePath("namespacePath", namespacePath);
    memberships.computeIfAbsent(userId, u -> new ConcurrentHashMap<>()).put(namespacePath, role);
    return this;
  }

  /** Makes {@code userId} an instance administrator. */
  public RoleAccessPolicy admin(String userId) {
    admins.add(Objects.requireNonNull(userId, "userId"));
    return this;
  }

  /** The host's switch: whether instance administrators count as Owners of every group. Off by default. */
  public RoleAccessPolicy adminsAreOwners(boolean allowed) {
    this.adminsAreOwners = allowed;
    return this;
  }

  /**
   * The role {@code actor} has in {@code namespacePath}: the highest it holds there or in a group above
   * it; empty when it is not a member (and for the anonymous actor). Administrators' switch aside.
   */
  public Optional<Role> roleOf(Actor actor, String namespacePath) {
    if (actor.isAnonymous()) {
      return Optional.empty();
    }
    Map<String, Role> own = memberships.getOrDefault(actor.id(), Map.of());
    Role best = null;
    for (Map.Entry<String, Role> m : own.entrySet()) {
      String path = m.getKey();
      boolean covers = namespacePath.equals(path) || namespacePath.startsWith(path + "/");
      if (covers && (best == null || m.getValue().compareTo(best) > 0)) {
        best = m.getValue();
      }
    }
    return Optional.ofNullable(best);
  }

  /** Records the question, then answers it: an Owner by membership, or an administrator if the switch allows. */
  @Override
  public boolean isOwner(Actor actor, String groupPath) {
    questions.add(new Question(actor, groupPath));
    if (actor.isAnonymous()) {
      return false;
    }
    if (adminsAreOwners && admins.contains(actor.id())) {
      return true;
    }
    return roleOf(actor, groupPath).filter(r -> r == Role.OWNER).isPresent();
  }

  /** Every question asked so far, in order. */
  public List<Question> questions() {
    return List.copyOf(questions);
  }

  /** The group paths asked about so far, each once, in the order first asked. */
  public Set<String> groupsAskedAbout() {
    return questions.stream().map(Question::groupPath)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Forgets the questions asked so far. */
  public void clearQuestions() {
    questions.clear();
  }
}
