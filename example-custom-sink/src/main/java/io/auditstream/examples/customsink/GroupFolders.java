package io.auditstream.examples.customsink;

import io.auditstream.api.MessageText;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the files of JSON lines file destinations may be: inside the folder the host gives (the
 * root), each top-level group in a sub-folder of its own named after the group ({@code <root>/acme}),
 * so that no Owner reaches a file of the host or of another group.
 *
 * <p>A destination's path is relative to its group's folder, or absolute and then inside it once
 * normalised; a {@code ..} segment is refused either way. Symbolic links are checked twice: when a
 * destination is saved ({@link #checkOnDisk}) and before every write ({@link #leadsOutside}), since a
 * link may appear after the save; the file itself is opened without following a link.
 *
 * <p>Immutable and thread-safe. Internal to this example.
 */
final class GroupFolders {
  private final Path root;

  /** @param root the root folder, as its real path (no link in it) */
  GroupFolders(Path root) {
    this.root = root;
  }

  /** The root folder, a real path. */
  Path root() {
    return root;
  }

  /**
   * The folder of {@code group}: {@code <root>/<group>}. A top-level group's path is one segment of
   * letters, digits, {@code _ . -} that starts with a letter, digit or underscore (the engine checks
   * it), so it can name neither the root nor its parent. On a file system that ignores case, groups
   * whose paths differ only in case share a folder: hosts that allow such groups keep the root on one
   * that does not.
   */
  Path groupFolder(String group) {
    Path folder = root.resolve(group).normalize();
    if (group.contains("/") || !root.equals(folder.getParent())) {
      // The engine allows no such group path; refused here too, so that no path leaves the root.
      throw new IllegalArgumentException("not a top-level group path: " + MessageText.shown(group));
    }
    return folder;
  }

  /**
   * The file {@code destination} writes to: its path resolved against its group's folder and
   * normalised. Looks at no file.
   *
   * @throws ValidationException on field {@code path} when the path leaves the group's folder, or
   *     names the folder itself
   */
  Path fileOf(Destination destination, String path) {
    Path folder = groupFolder(destination.groupPath());
    Path given = Path.of(path);
    for (Path segment : given) {
      if (segment.toString().equals("..")) {
        throw new ValidationException("path", "path must not contain '..' segments (was '" + MessageText.shown(path) + "')");
      }
    }
    Path file = folder.resolve(given).normalize();
    if (!file.startsWith(folder)) {
      throw new ValidationException("path", "path must be relative to the folder of group '"
          + destination.groupPath() + "', or an absolute path inside it (" + folder + "); was '"
          + MessageText.shown(path) + "'");
    }
    if (file.equals(folder)) {
      throw new ValidationException("path", "path must name a file in the folder of group '"
          + destination.groupPath() + "', not the folder itself");
    }
    return file;
  }

  /**
   * What the file system says about {@code file} when a destination is saved: not a link, not a
   * folder, in an existing folder (the group's own folder may be missing still: the first write
   * makes it) that no link leads out of the group's folder.
   *
   * @return why the file cannot be used, as a message on field {@code path}; empty when it can
   */
  Optional<String> checkOnDisk(Path folder, Path file) {
    if (Files.isSymbolicLink(file)) {
      return Optional.of("path must not be a symbolic link");
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("path must name a file, not a folder");
    }
    Path parent = file.getParent();
    if (parent.equals(folder) && !Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isDirectory(parent)) {
      return Optional.of("path must be in an existing folder (no folder '" + folder.relativize(parent)
          + "' in the group's folder)");
    }
    try {
      return leadsOutside(folder, parent)
          ? Optional.of("path leads outside the group's folder through a symbolic link")
          : Optional.empty();
    } catch (IOException e) {
      // Gone between the checks: the write checks again, and fails then.
      return Optional.empty();
    }
  }

  /**
   * Whether a symbolic link (the group's folder itself, or a folder on the way) makes {@code path}
   * lead outside {@code folder}. Checked when a destination is saved and again before every write,
   * where {@code path} is the file itself once opened without following a link.
   *
   * @throws IOException when {@code folder} or {@code path} does not exist or cannot be read
   */
  boolean leadsOutside(Path folder, Path path) throws IOException {
    return !folder.toRealPath().equals(folder) || !path.toRealPath().startsWith(folder);
  }
}
