package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The folder an embedded store keeps its database in, readable by the host's user alone where the
 * file system has POSIX permissions: the folder {@code rwx------}, the database and its write-ahead
 * log {@code rw-------} (SQLite gives the log the database file's permissions). Elsewhere the folder
 * is protected as its location is. Internal; may change without notice.
 */
final class DataFolder {
  private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private DataFolder() {}

  /**
   * Creates {@code dir} if needed, and the database file {@code name} in it, both owner-only.
   *
   * @return the database file's absolute path
   * @throws AuditStreamException naming the path when it cannot be created or protected
   */
  static Path prepare(Path dir, String name) {
    Path folder = dir.toAbsolutePath();
    Path file = folder.resolve(name);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      Files.createDirectories(folder);
      if (posix) {
        Files.setPosixFilePermissions(folder, FOLDER);
      }
      if (Files.notExists(file)) {
        // Created before SQLite opens it, so that it never exists with wider permissions.
        if (posix) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
          Files.createFile(file);
        }
      }
      if (posix) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
          Path f = folder.resolve(name + suffix);
          if (Files.exists(f)) {
            Files.setPosixFilePermissions(f, FILE);
          }
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new AuditStreamException("cannot prepare the data folder " + folder + ": " + e, e);
    }
    return file;
  }
}
