package io.auditstream.core.secrets;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.spi.SecretKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key file of a store whose host gave no {@link SecretKeys}: one line {@code keyId:base64Key}, the
 * form {@link SecretKeys#parse} reads, generated on first use with a random 32-byte key and a random key
 * id ({@code local-} and 8 hex digits). Where the file system has POSIX permissions the file is {@code
 * rw-------} from the moment it exists: it is written under a temporary name created with those
 * permissions, forced to disk, then linked to its name, which fails rather than replace a key file that
 * appeared meanwhile. The generation is logged once at INFO with the path, never the key. Whoever can
 * read this file can read every secret the store holds; whoever loses it loses them.
 *
 * <p>Thread-safe (no state); two processes generating the same file at once end up with the same key.
 */
public final class SecretKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SecretKeyFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretKeyFile() {}

  /**
   * The keys in {@code file}, generated into it first when it does not exist. An existing file readable
   * by others is made owner-only again, with a warning.
   *
   * @throws AuditStreamException naming the file when it cannot be read, written or parsed (never quoting
   *     its content)
   */
  public static SecretKeys loadOrCreate(Path file) {
    Path abs = file.toAbsolutePath();
    if (Files.notExists(abs)) {
      try {
        generate(abs);
      } catch (FileAlreadyExistsException raced) {
        // Another process generated it first: read that one.
      } catch (IOException e) {
        throw new AuditStreamException("cannot create the secrets key file " + abs + ": " + e, e);
      }
    }
    return load(abs);
  }

  private static SecretKeys load(Path file) {
    String text;
    try {
      if (posix()) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
          log.warn("The secrets key file {} was readable by others ({}); it is owner-only again", file,
              PosixFilePermissions.toString(permissions));
          Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AuditStreamException("cannot read the secrets key file " + file + ": " + e, e);
    }
    try {
      return SecretKeys.parse(text);
    } catch (ValidationException e) {
      throw new AuditStreamException("the secrets key file " + file + " is not a key file: " + e.getMessage(), e);
    }
  }

  private static void generate(Path file) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    byte[] key = new byte[SecretKeys.KEY_BYTES];
    RANDOM.nextBytes(key);
    byte[] id = new byte[4];
    RANDOM.nextBytes(id);
    String keyId = "local-" + HexFormat.of().formatHex(id);
    byte[] line = (keyId + ":" + Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(key, (byte) 0);
    FileAttribute<?>[] attrs = posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attrs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(line));
        ch.force(true);
      }
      try {
        // A link never replaces an existing name: a key file that appeared meanwhile is kept.
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (UnsupportedOperationException | IOException e) {
        // No hard links here: a move, which refuses an existing name too (not atomically).
        Files.move(tmp, file);
      }
    } finally {
      Arrays.fill(line, (byte) 0);
      Files.deleteIfExists(tmp);
    }
    forceDirectory(dir);
    log.info("Generated the key that encrypts destination secrets at rest: {} (key id {}). Back it up with the"
        + " store: without it the stored secrets cannot be read", file, keyId);
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("Could not sync folder {}: {}", dir, e.toString());
    }
  }
}
