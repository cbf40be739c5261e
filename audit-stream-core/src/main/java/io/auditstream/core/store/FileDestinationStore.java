package io.auditstream.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.secrets.SecretKeyFile;
import io.auditstream.core.secrets.SecretsCipher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DestinationStore} kept in one JSON file, so that destinations survive a restart of the
 * host without a database.
 *
 * <p><b>Secrets are encrypted at rest.</b> Each destination's verification token and config secrets
 * (header values, private keys, secret access keys, whatever a kind keeps apart) are sealed together
 * with AES-256-GCM ({@link SecretsCipher}), bound to the destination's id, under the current key of the
 * {@link SecretKeys} the host gives ({@link Builder#secretKeys}). Without keys, the store generates one
 * on first use into {@code <file>.key} beside the file ({@link SecretKeyFile}: owner-only, logged once at
 * INFO): back it up with the file, and keep both where only the host can read them. Where the file
 * system supports POSIX permissions the store file is created {@code rw-------} too. After a key change,
 * {@link #reencryptSecrets()} rewrites every destination under the current key.
 *
 * <p>The whole file is read by {@link #open(Path)} and rewritten on every change: written to a
 * temporary file in the same folder, forced to disk, then moved over the old one atomically, so a
 * crash leaves either the old or the new content, never a mix. It suits the few destinations a host
 * has (tens to hundreds), not thousands of changes a second.
 *
 * <p>Format: {@code {"formatVersion": 3, "destinations": [...]}}; each destination names its kind and
 * the artifact that provides it, holds its config's plain settings under {@code config}, the sealed
 * secrets under {@code secrets} ({@code v1:<keyId>:<base64>}), and {@code pausedReason} when it is
 * paused (a destination without it, as written before pausing existed, is not paused). Configs are read
 * and written by their kinds ({@link io.auditstream.api.destination.DestinationKind}): a destination
 * whose kind is not on the classpath is kept as it was stored and written back unchanged. A file of
 * version 2 (secrets in plain text) is read and rewritten as version 3 by {@code open}; version 1
 * (written by pre-releases) is refused.
 *
 * <p>Thread-safe: reads are served from memory; changes are serialised. One store per file: two
 * stores (or two processes) writing the same file overwrite each other's changes.
 */
public final class FileDestinationStore implements DestinationStore {
  /** The format version this class writes; it reads this and older versions. */
  public static final int FORMAT_VERSION = 3;

  /** The suffix of the key file generated beside the store file when the host gives no keys. */
  public static final String KEY_FILE_SUFFIX = ".key";

  // The last version with secrets in plain text: read, then rewritten encrypted.
  private static final int PLAIN_SECRETS_VERSION = 2;

  private static final Logger log = LoggerFactory.getLogger(FileDestinationStore.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  // Replaced, never mutated, so readers need no lock; guarded by 'this' for writers.
  private volatile Map<DestinationId, Destination> byId;

  private final DestinationJson json;

  private FileDestinationStore(Path file, DestinationJson json, Map<DestinationId, Destination> byId) {
    this.file = file;
    this.json = json;
    this.byId = byId;
  }

  /**
   * Opens the store kept in {@code file}, reading it if it exists, else creating it (and its folder)
   * empty, so that a location that cannot be written fails now rather than on the first change. Its
   * secrets are encrypted with the key in {@code <file>.key}, generated on first use.
   *
   * @throws AuditStreamException naming the file when it cannot be read, is not a store file, was
   *     written by a newer format version, holds secrets that cannot be decrypted, or cannot be created
   */
  public static FileDestinationStore open(Path file) {
    return builder(file).open();
  }

  /**
   * As {@link #open(Path)}, reading configs with {@code kinds} (for a host whose kinds are not found
   * through {@link java.util.ServiceLoader}). A destination of a kind {@code kinds} does not know is
   * kept intact.
   *
   * @throws AuditStreamException as {@link #open(Path)}
   */
  public static FileDestinationStore open(Path file, DestinationKinds kinds) {
    return builder(file).destinationKinds(kinds).open();
  }

  /** A builder for the store kept in {@code file}. */
  public static Builder builder(Path file) {
    return new Builder(Objects.requireNonNull(file, "file"));
  }

  /** Builds a {@link FileDestinationStore}: its kinds and its keys. Not thread-safe. */
  public static final class Builder {
    private final Path file;
    private DestinationKinds kinds;
    private SecretKeys keys;

    private Builder(Path file) {
      this.file = file;
    }

    /** The kinds configs are read with; default {@link DestinationKinds#discover()}. */
    public Builder destinationKinds(DestinationKinds kinds) {
      this.kinds = Objects.requireNonNull(kinds, "kinds");
      return this;
    }

    /**
     * The keys that encrypt the destinations' secrets: the current one encrypts, older ones still
     * decrypt. Default: the key in {@code <file>.key}, generated on first use.
     */
    public Builder secretKeys(SecretKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Opens the store, as {@link FileDestinationStore#open(Path)}; a file of format version 2 is
     * rewritten with its secrets encrypted.
     *
     * @throws AuditStreamException as {@link FileDestinationStore#open(Path)}
     */
    public FileDestinationStore open() {
      Path abs = file.toAbsolutePath();
      SecretKeys k = keys != null ? keys : SecretKeyFile.loadOrCreate(keyFile(abs));
      DestinationJson json = new DestinationJson(kinds != null ? kinds : DestinationKinds.discover(),
          SecretsCipher.of(k));
      return FileDestinationStore.open(abs, json);
    }
  }

  private static Path keyFile(Path file) {
    return file.resolveSibling(file.getFileName() + KEY_FILE_SUFFIX);
  }

  private static FileDestinationStore open(Path abs, DestinationJson json) {
    if (Files.exists(abs)) {
      Stored stored = read(abs, json);
      FileDestinationStore store = new FileDestinationStore(abs, json, stored.byId());
      if (stored.version() == PLAIN_SECRETS_VERSION) {
        store.write(stored.byId());
        log.info("Encrypted the secrets of {} destinations in {} (format version {} to {})", stored.byId().size(),
            abs, PLAIN_SECRETS_VERSION, FORMAT_VERSION);
      }
      log.info("Opened destination store {} ({} destinations)", abs, store.byId.size());
      return store;
    }
    FileDestinationStore store = new FileDestinationStore(abs, json, Map.of());
    try {
      Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw new AuditStreamException("cannot create the folder of destination store file " + abs + ": " + e, e);
    }
    store.write(Map.of());
    log.info("Created destination store {}", abs);
    return store;
  }

  /** The file this store keeps its destinations in. */
  public Path file() {
    return file;
  }

  @Override
  public List<Destination> findAll() {
    return DestinationOrder.all(byId.values());
  }

  @Override
  public List<Destination> findByGroup(String groupPath) {
    return DestinationOrder.ofGroup(byId.values(), groupPath);
  }

  @Override
  public Optional<Destination> find(DestinationId id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Inserts or replaces, and rewrites the file before returning.
   *
   * @throws AuditStreamException naming the file when it cannot be written; the store is unchanged
   */
  @Override
  public synchronized void save(Destination destination) {
    Objects.requireNonNull(destination, "destination");
    Map<DestinationId, Destination> next = new LinkedHashMap<>(byId);
    next.put(destination.id(), destination);
    write(next);
    byId = Map.copyOf(next);
  }

  /**
   * Deletes, and rewrites the file before returning.
   *
   * @throws AuditStreamException naming the file when it cannot be written; the store is unchanged
   */
  @Override
  public synchronized boolean delete(DestinationId id) {
    if (!byId.containsKey(id)) {
      return false;
    }
    Map<DestinationId, Destination> next = new LinkedHashMap<>(byId);
    next.remove(id);
    write(next);
    byId = Map.copyOf(next);
    return true;
  }

  /**
   * Rewrites the file with every destination's secrets encrypted under the current key: call it after
   * making a new key current, keeping the old one among the older keys until it returns. Durable when it
   * returns.
   *
   * @return the number of destinations rewritten
   * @throws AuditStreamException naming the file when it cannot be written; the file is unchanged
   */
  public synchronized int reencryptSecrets() {
    Map<DestinationId, Destination> all = byId;
    write(all);
    log.info("Re-encrypted the secrets of {} destinations in {} under key {}", all.size(), file,
        json.cipher().keys().currentKeyId());
    return all.size();
  }

  private void write(Map<DestinationId, Destination> destinations) {
    ObjectNode root = mapper.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    ArrayNode list = root.putArray("destinations");
    DestinationOrder.all(destinations.values()).stream().map(json::write).forEach(list::add);
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new AuditStreamException("cannot encode destination store file " + file, e);
    }
    Path dir = file.getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Some file systems cannot rename atomically; a plain replace is the best they offer.
        log.warn("Destination store {}: atomic move not supported, replacing the file non-atomically", file);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      forceDirectory(dir);
    } catch (IOException e) {
      throw new AuditStreamException("cannot write destination store file " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          log.warn("Could not delete temporary file {}: {}", tmp, e.toString());
        }
      }
    }
  }

  private record Stored(int version, Map<DestinationId, Destination> byId) {}

  private static Stored read(Path file, DestinationJson json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      // Only the location: the parser's own message may quote the file's content, which holds secrets.
      throw new AuditStreamException("cannot read destination store file " + file + ": not valid JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new AuditStreamException("cannot read destination store file " + file + ": " + e, e);
    }
    if (root == null || !root.isObject() || !root.path("formatVersion").canConvertToInt()
        || !root.path("destinations").isArray()) {
      throw new AuditStreamException("cannot read destination store file " + file
          + ": not a destination store (expected an object with formatVersion and destinations)");
    }
    int version = root.get("formatVersion").asInt();
    if (version != FORMAT_VERSION && version != PLAIN_SECRETS_VERSION) {
      throw new AuditStreamException("cannot read destination store file " + file + ": format version " + version
          + " is not supported by this version of audit-stream (supports " + PLAIN_SECRETS_VERSION + " and "
          + FORMAT_VERSION + ")");
    }
    Map<DestinationId, Destination> byId = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode node : root.get("destinations")) {
      try {
        Destination d = json.read(node, version == PLAIN_SECRETS_VERSION);
        byId.put(d.id(), d);
      } catch (IllegalArgumentException | ValidationException e) {
        throw new AuditStreamException("cannot read destination store file " + file + ": destinations[" + i + "]: "
            + e.getMessage(), e);
      }
      i++;
    }
    return new Stored(version, Map.copyOf(byId));
  }

  private static FileAttribute<?>[] ownerOnly() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  /** Makes the rename durable where the platform allows syncing a folder; elsewhere it is skipped. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("Could not sync folder {}: {}", dir, e.toString());
    }
  }
}
