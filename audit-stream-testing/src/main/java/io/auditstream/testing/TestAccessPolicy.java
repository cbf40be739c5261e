package io.auditstream.testing;

import io.auditstream.api.Actor;
import io.auditstream.api.spi.AccessPolicy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link AccessPolicy} whose Owners a test grants and revokes; the anonymous actor is never one. For roles,
 * inheritance and administrators, see {@link RoleAccessPolicy}. Thread-safe.
 */
public final class TestAccessPolicy implements AccessPolicy {
  private final Set<String> owners = ConcurrentHashMap.newKeySet();

  private TestAccessPolicy() {}

  /** A policy with no Owners yet. */
  public static TestAccessPolicy owners() {
    return new TestAccessPolicy();
  }

  /** Makes {@code actorId} an Owner of the top-level group {@code groupPath}. */
  public TestAccessPolicy grant(String actorId, String groupPath) {
    owners.add(key(actorId, groupPath));
    return this;
  }

  /** Takes the Owner role of {@code groupPath} away from {@code actorId}. */
  public TestAccessPolicy revoke(String actorId, String groupPath) {
    owners.remove(key(actorId, groupPath));
    return this;
  }

  @Override
  public boolean isOwner(Actor actor, String groupPath) {
    return !actor.isAnonymous() && owners.contains(key(actor.id(), groupPath));
  }

  private static String key(String actorId, String groupPath) {
    return actorId + '\u0000' + groupPath;
  }
}
