package io.auditstream.api;

/** What an audit event is about, as the {@code entity_type} field of the payload names it. */
public enum EntityType {
  /** A group or subgroup; {@code Group} in the payload. */
  GROUP("Group"),
  /** A project; {@code Project} in the payload. */
  PROJECT("Project"),
  /**
   * A user; {@code User} in the payload. Such events need an explicit {@link Namespace} to reach a group.
   */
  USER("User");

  private final String jsonName;

  EntityType(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in the JSON payload: {@code Group}, {@code Project} or {@code User}. */
  public String jsonName() {
    return jsonName;
  }

  /** Reads a payload name ({@code Group}); case-insensitive. */
  public static EntityType fromJsonName(String name) {
    for (EntityType t : values()) {
      if (t.jsonName.equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new ValidationException("entity_type", "entity_type must be Group, Project or User (was " + MessageText.shown(name) + ")");
  }

  /**
   * The namespace that an entity of this type at {@code fullPath} is itself, from which an event
   * about it derives its namespace: the group's or the project's; null for a user. Internal.
   *
   * @throws ValidationException when {@code fullPath} is malformed
   */
  Namespace namespaceAt(String fullPath) {
    return switch (this) {
      case GROUP -> Namespace.group(fullPath);
      case PROJECT -> Namespace.project(fullPath);
      case USER -> null;
    };
  }
}
