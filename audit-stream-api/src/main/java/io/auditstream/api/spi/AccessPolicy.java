package io.auditstream.api.spi;

import io.auditstream.api.Actor;

/**
 * The host's answer to "is this actor an Owner of this top-level group?". Only Owners manage a
 * group's streaming destinations and read its verification tokens.
 *
 * <p>Called on the thread of each management call; implementations must be thread-safe and should
 * be fast (the host's own membership lookup).
 */
@FunctionalInterface
public interface AccessPolicy {
  /** Whether {@code actor} has the Owner role of the top-level group {@code groupPath}. */
  boolean isOwner(Actor actor, String groupPath);

  /** A policy under which nobody may manage anything. */
  static AccessPolicy denyAll() {
    return (actor, group) -> false;
  }
}
