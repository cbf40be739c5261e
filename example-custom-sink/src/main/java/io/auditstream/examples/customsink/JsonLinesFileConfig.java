package io.auditstream.examples.customsink;

import io.auditstream.api.MessageText;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationConfigBuilder;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.WriteOnlySecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of a JSON lines file destination (kind {@value #KIND}): the file each event is
 * appended to, one signed JSON line per event, and the key that signs the lines.
 *
 * <p>Rules (checked by {@link Builder#build()}, every violation reported at once):
 * <ul>
 *   <li>{@code path}: required, a file path of at most {@value #MAX_PATH_LENGTH} characters that this
 *       system can represent, each of its names at most {@value #MAX_NAME_BYTES} bytes in UTF-8, without
 *       {@code ..} segments, naming a file rather than a folder. It is
 *       relative to the folder of the destination's group inside the root folder the host gives
 *       the kind ({@code <root>/<group path>}), or absolute and inside that folder: whether it is, and
 *       whether its folder exists, is checked when a destination is saved ({@link
 *       JsonLinesFileSinkProvider#validate(io.auditstream.api.destination.Destination,
 *       io.auditstream.api.sink.SinkContext)});
 *   <li>{@code signingKey}: a {@link WriteOnlySecret}; optional here, so that an update can leave it
 *       out and keep the current one; required when a destination is saved ({@link
 *       JsonLinesFileKind#validate}). When present: {@value #MIN_SIGNING_KEY_LENGTH} to {@value
 *       #MAX_SIGNING_KEY_LENGTH} visible ASCII characters (no spaces).
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows whether a signing key is set, never the
 * key. {@link #equals} includes the key (compared in constant time).
 */
public final class JsonLinesFileConfig implements DestinationConfig {
  /** The kind name of JSON lines file destinations. */
  public static final String KIND = "jsonl-file";
  /** The contract of JSON lines file destinations. */
  public static final DestinationKind<JsonLinesFileConfig> DESTINATION_KIND = new JsonLinesFileKind();
  /** The longest a path may be, in characters (Linux's {@code PATH_MAX}). */
  public static final int MAX_PATH_LENGTH = 4096;
  /** The longest a file or folder name in a path may be, in bytes of UTF-8 (Linux's {@code NAME_MAX}). */
  public static final int MAX_NAME_BYTES = 255;
  /** The fewest characters a signing key may have. */
  public static final int MIN_SIGNING_KEY_LENGTH = 16;
  /** The most characters a signing key may have. */
  public static final int MAX_SIGNING_KEY_LENGTH = 256;

  private final String path;
  private final WriteOnlySecret signingKey;

  private JsonLinesFileConfig(Builder b) {
    this.path = b.path;
    this.signingKey = b.signingKey;
  }

  /** A new builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every setting of this config, the signing key as this config has it (redacted
   * on a listed copy, which an update then keeps), to derive a changed copy.
   */
  public Builder toBuilder() {
    return new Builder().path(path).signingKey(signingKey);
  }

  @Override
  public DestinationKind<JsonLinesFileConfig> destinationKind() {
    return DESTINATION_KIND;
  }

  /**
   * The file the events are appended to, as it was given: relative to the folder of the destination's
   * group, or absolute inside it.
   */
  public String path() {
    return path;
  }

  /** {@link #path()} as a {@link Path}, not resolved against any folder. */
  public Path file() {
    return Path.of(path);
  }

  /**
   * The key that signs each line: present when this config carries it, redacted on a listed copy,
   * absent when it was left out (an update that keeps the current key).
   */
  public WriteOnlySecret signingKey() {
    return signingKey;
  }

  /** Whether a signing key is set: present, or redacted on a listed copy. */
  public boolean hasSigningKey() {
    return signingKey.isSet();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonLinesFileConfig c && path.equals(c.path) && signingKey.equals(c.signingKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, signingKey.isSet());
  }

  @Override
  public String toString() {
    return "JsonLinesFileConfig{path=" + path + ", signingKey=" + (hasSigningKey() ? "set" : "not set") + "}";
  }

  /** Builds a {@link JsonLinesFileConfig}. Not thread-safe. */
  public static final class Builder implements DestinationConfigBuilder<JsonLinesFileConfig> {
    private String path;
    private WriteOnlySecret signingKey = WriteOnlySecret.absent();

    private Builder() {}

    /** The file to append to, relative to the group's folder or absolute inside it; required. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** The file to append to, relative to the group's folder or absolute inside it; required. */
    public Builder path(Path path) {
      return path(path == null ? null : path.toString());
    }

    /** The signing key; absent or redacted leaves it unset (an update then keeps the current one). */
    public Builder signingKey(WriteOnlySecret signingKey) {
      this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
      return this;
    }

    /** The signing key; {@code null} leaves it unset (an update then keeps the current one). */
    public Builder signingKey(Secret signingKey) {
      return signingKey(WriteOnlySecret.ofNullable(signingKey));
    }

    /** The signing key as plain text; {@code null} leaves it unset. */
    public Builder signingKey(String signingKey) {
      return signingKey(WriteOnlySecret.ofNullable(signingKey));
    }

    /**
     * @throws ValidationException naming each field that breaks a rule; the messages never quote the
     *     signing key
     */
    @Override
    public JsonLinesFileConfig build() {
      ValidationException.Collector v = ValidationException.collector();
      validatePath(v);
      validateSigningKey(v);
      v.throwIfAny();
      return new JsonLinesFileConfig(this);
    }

    private void validatePath(ValidationException.Collector v) {
      if (path == null || path.isBlank()) {
        v.add("path", "path is required: the file to append events to, relative to the group's folder");
        return;
      }
      if (path.length() > MAX_PATH_LENGTH) {
        v.add("path", "path must be at most " + MAX_PATH_LENGTH + " characters (was " + path.length() + ")");
        return;
      }
      Path parsed;
      try {
        parsed = Path.of(path);
      } catch (InvalidPathException e) {
        v.add("path", "path must be a file path this system can represent (" + e.getReason() + ")");
        return;
      }
      boolean up = false;
      int longestName = 0;
      for (Path segment : parsed) {
        up |= segment.toString().equals("..");
        longestName = Math.max(longestName, segment.toString().getBytes(StandardCharsets.UTF_8).length);
      }
      // Refused rather than normalised: a path that climbs is an attempt to leave the group's folder.
      v.check(!up, "path", "path must not contain '..' segments (was '" + MessageText.shown(path) + "')");
      // The usual file systems take no longer name: such a path would pass every check and fail every write.
      v.check(longestName <= MAX_NAME_BYTES, "path", "path must not hold a file or folder name longer than "
          + MAX_NAME_BYTES + " bytes in UTF-8 (was " + longestName + ")");
      Path name = parsed.normalize().getFileName();
      v.check(up || name != null && !name.toString().isEmpty() && !name.toString().equals("."), "path",
          "path must name a file, not a folder (was '" + MessageText.shown(path) + "')");
    }

    private void validateSigningKey(ValidationException.Collector v) {
      if (signingKey.isEmpty()) {
        return;
      }
      String key = signingKey.get().reveal();
      v.check(key.length() >= MIN_SIGNING_KEY_LENGTH && key.length() <= MAX_SIGNING_KEY_LENGTH
              && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e),
          "signingKey", "signingKey must be " + MIN_SIGNING_KEY_LENGTH + " to " + MAX_SIGNING_KEY_LENGTH
              + " visible ASCII characters without spaces (was " + key.length() + " characters)");
    }
  }
}
