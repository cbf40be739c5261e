package io.auditstream.api;

import java.util.Objects;

/**
 * A group, subgroup or project of the host, named by its full path as in GitLab: {@code my-group},
 * {@code my-group/sub}, {@code my-group/sub/my-project}. The first segment is the top-level group,
 * which owns the streaming destinations for everything below it.
 *
 * <p>An immutable value (equal when path and kind are), thread-safe. The top-level group is worked out
 * once, when the namespace is made, because the engine looks it up for every event it is handed, on the
 * host's thread.
 */
public final class Namespace {
  /** Whether a namespace is a group (at any level) or a project. */
  public enum Kind {
    /** A top-level group or a subgroup. */
    GROUP,
    /** A project; its path always has at least two segments. */
    PROJECT
  }

  private final String fullPath;
  private final Kind kind;
  private final String topLevelGroup;

  /**
   * Creates the namespace after checking both components.
   *
   * @param fullPath the full path, segments separated by {@code /}
   * @param kind whether it is a group (top-level or subgroup) or a project
   * @throws NullPointerException when {@code kind} is null
   * @throws ValidationException when {@code fullPath} is malformed (see {@link #validatePath}), or a
   *     project's path has a single segment
   */
  public Namespace(String fullPath, Kind kind) {
    Objects.requireNonNull(kind, "kind");
    validatePath("namespace", fullPath);
    if (kind == Kind.PROJECT && !fullPath.contains("/")) {
      throw new ValidationException(
          "namespace", "a project's path must start with its group's path (was " + MessageText.shown(fullPath) + ")");
    }
    this.fullPath = fullPath;
    this.kind = kind;
    this.topLevelGroup = topLevelGroupOf(fullPath);
    // Hashed now, with the string just made: the engine's look-up on the host's thread then finds it kept.
    topLevelGroup.hashCode();
  }

  /** A group or subgroup. */
  public static Namespace group(String fullPath) {
    return new Namespace(fullPath, Kind.GROUP);
  }

  /** A project. */
  public static Namespace project(String fullPath) {
    return new Namespace(fullPath, Kind.PROJECT);
  }

  /** The full path, segments separated by {@code /}. */
  public String fullPath() {
    return fullPath;
  }

  /** Whether it is a group (top-level or subgroup) or a project. */
  public Kind kind() {
    return kind;
  }

  /** The path of the top-level group this namespace belongs to (its first segment); the same string each call. */
  public String topLevelGroup() {
    return topLevelGroup;
  }

  /** Whether this is a top-level group. */
  public boolean isTopLevelGroup() {
    return kind == Kind.GROUP && !fullPath.contains("/");
  }

  /** Whether this namespace is {@code ancestorPath} itself or lies somewhere below it. */
  public boolean isWithin(String ancestorPath) {
    return fullPath.equals(ancestorPath) || fullPath.startsWith(ancestorPath + "/");
  }

  /** The first segment of a full path. */
  public static String topLevelGroupOf(String fullPath) {
    int slash = fullPath.indexOf('/');
    return slash < 0 ? fullPath : fullPath.substring(0, slash);
  }

  /**
   * Checks a full path's syntax: 1 to 255 characters, segments that start with a letter, digit or
   * underscore and hold only letters, digits, {@code _ . -}.
   *
   * @throws ValidationException naming {@code field} when the path is malformed
   */
  public static void validatePath(String field, String fullPath) {
    if (fullPath == null || fullPath.isEmpty() || fullPath.length() > 255) {
      throw new ValidationException(
          field, field + " must be a full path of 1 to 255 characters (was "
              + (fullPath == null ? "null" : fullPath.length() + " characters") + ")");
    }
    // By hand rather than split and a regular expression per segment: every event's build checks its paths.
    boolean segmentStart = true;
    for (int i = 0; i < fullPath.length(); i++) {
      char c = fullPath.charAt(i);
      boolean ok;
      if (c == '/') {
        ok = !segmentStart;
        segmentStart = true;
      } else {
        ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
            || !segmentStart && (c == '.' || c == '-');
        segmentStart = false;
      }
      if (!ok) {
        throw malformed(field, fullPath);
      }
    }
    if (segmentStart) {
      throw malformed(field, fullPath);
    }
  }

  private static ValidationException malformed(String field, String fullPath) {
    return new ValidationException(
        field, field + " must be segments of letters, digits, '_', '.', '-' separated by '/' (was " + MessageText.shown(fullPath) + ")");
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Namespace n && fullPath.equals(n.fullPath) && kind == n.kind;
  }

  @Override
  public int hashCode() {
    return 31 * fullPath.hashCode() + kind.hashCode();
  }

  @Override
  public String toString() {
    return (kind == Kind.GROUP ? "group " : "project ") + fullPath;
  }
}
