package io.auditstream.api;

import java.util.Objects;

/**
 * The user on whose behalf a management call is made. The host's {@link
 * io.auditstream.api.spi.AccessPolicy} decides what a signed-in actor may do; audit-stream only
 * passes it on.
 *
 * <p>A caller who is not signed in is {@link #anonymous()}: audit-stream refuses it every management
 * call itself, with the same answer as any actor who is not an Owner, and never asks the host's
 * policy about it, so a policy needs no case for it.
 *
 * <p>Immutable; two actors are equal when both are anonymous or both have the same id.
 */
public final class Actor {
  private static final Actor ANONYMOUS = new Actor(null);

  private final String id;

  private Actor(String id) {
    this.id = id;
  }

  /**
   * The actor with the host's user id {@code id}.
   *
   * @throws NullPointerException when {@code id} is null
   * @throws ValidationException when {@code id} is blank
   */
  public static Actor of(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new ValidationException("actor.id", "actor.id must not be blank");
    }
    return new Actor(id);
  }

  /** The caller who is not signed in: refused every management call, without asking the host's policy. */
  public static Actor anonymous() {
    return ANONYMOUS;
  }

  /** Whether this is the {@linkplain #anonymous() anonymous} caller. */
  public boolean isAnonymous() {
    return id == null;
  }

  /**
   * The host's stable identifier of the user.
   *
   * @throws IllegalStateException for the {@linkplain #anonymous() anonymous} caller, who has none
   */
  public String id() {
    if (id == null) {
      throw new IllegalStateException("the anonymous actor has no id");
    }
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Actor a && Objects.equals(id, a.id);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(id);
  }

  /** {@code Actor[id=...]} with the id escaped for a log line, or {@code Actor[anonymous]}. */
  @Override
  public String toString() {
    return id == null ? "Actor[anonymous]" : "Actor[id=" + LogText.escape(id) + "]";
  }
}
