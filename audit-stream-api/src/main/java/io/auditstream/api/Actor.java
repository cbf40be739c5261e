package io.auditstream.api;

import java.util.Objects;

/**
 * The user on whose behalf a management call is made. The host's {@link
 * io.auditstream.api.spi.AccessPolicy} decides what the actor may do; audit-stream only passes it on.
 *
 * @param id the host's stable identifier of the user
 */
public record Actor(String id) {
  /**
   * Creates the actor after checking the id.
   *
   * @throws NullPointerException when {@code id} is null
   * @throws ValidationException when {@code id} is blank
   */
  public Actor {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new ValidationException("actor.id", "actor.id must not be blank");
    }
  }

  /** The actor with the host's user id {@code id}; same checks and exceptions as the constructor. */
  public static Actor of(String id) {
    return new Actor(id);
  }
}
