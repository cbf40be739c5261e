package io.auditstream.examples.customsink;

import io.auditstream.api.Secret;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Appends each event to a file as one JSON line:
 *
 * <pre>{"signature":"sha256=&lt;hex HMAC-SHA256 of the event's JSON with the signing key&gt;","event":&lt;the event's JSON&gt;}</pre>
 *
 * <p>The event's JSON is written byte for byte as the engine encoded it ({@link EncodedEvent#json()}),
 * so a reader verifies the signature over exactly the bytes between {@code "event":} and the line's
 * closing brace. A batch (up to {@value #MAX_BATCH_SIZE} events) is written with one write call; a
 * failed write is retried, and a batch written in part before the failure is then written again, so
 * readers deduplicate on the event's {@code id}.
 *
 * <p>The file stays inside its group's folder (see {@link GroupFolders}): before each write the sink
 * makes the group's folder when it is missing, checks that no symbolic link leads out of it, opens
 * the file without following a link ({@link LinkOption#NOFOLLOW_LINKS}), and checks the opened
 * file's real path once more before writing to it. A link found on the way fails the delivery for
 * good, naming the rule; nothing is written then.
 *
 * <p>Threading: the engine calls {@link #deliver} from one thread at a time, so appends of one sink
 * never interleave. Internal to this example.
 */
final class JsonLinesFileSink implements Sink {
  /** The most events one write takes. */
  static final int MAX_BATCH_SIZE = 100;

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] BEFORE_SIGNATURE = "{\"signature\":\"sha256=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BEFORE_EVENT = "\",\"event\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LINE_END = "}\n".getBytes(StandardCharsets.US_ASCII);
  private static final HexFormat HEX = HexFormat.of();

  private static final String OUTSIDE = "path leads outside the group's folder through a symbolic link: nothing"
      + " was written";

  private final GroupFolders folders;
  private final Path folder;
  private final Path file;
  private final SecretKeySpec key;
  private final String refusal;

  /**
   * @param folders the host's root and its rules
   * @param folder the folder of the destination's group
   * @param file the file, inside {@code folder} once normalised
   * @param signingKey the key; {@code null} only for a destination stored without one (its kind
   *     requires one on save), whose deliveries then fail for good
   */
  JsonLinesFileSink(GroupFolders folders, Path folder, Path file, Secret signingKey) {
    this.folders = folders;
    this.folder = folder;
    this.file = file;
    this.key = signingKey == null ? null
        : new SecretKeySpec(signingKey.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.refusal = null;
  }

  private JsonLinesFileSink(String refusal) {
    this.folders = null;
    this.folder = null;
    this.file = null;
    this.key = null;
    this.refusal = refusal;
  }

  /** A sink whose every delivery fails for good with {@code refusal}: the provider cannot serve its destination. */
  static JsonLinesFileSink refusing(String refusal) {
    return new JsonLinesFileSink(refusal);
  }

  @Override
  public int maxBatchSize() {
    return MAX_BATCH_SIZE;
  }

  /**
   * @throws DeliveryException retryable when the file cannot be written (a full disk or a missing
   *     folder, which an operator can fix); permanent when the destination has no signing key, when
   *     the provider cannot serve it, or when a symbolic link leads out of the group's folder
   */
  @Override
  public void deliver(List<EncodedEvent> batch) throws DeliveryException {
    if (refusal != null) {
      throw DeliveryException.permanent(refusal);
    }
    if (key == null) {
      throw DeliveryException.permanent("signingKey is not set: update the destination with one");
    }
    // A Mac per batch: cheap next to the write, and never shared between the threads that call deliver.
    Mac mac = newMac();
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (EncodedEvent e : batch) {
      lines.writeBytes(BEFORE_SIGNATURE);
      lines.writeBytes(HEX.formatHex(mac.doFinal(e.json())).getBytes(StandardCharsets.US_ASCII));
      lines.writeBytes(BEFORE_EVENT);
      lines.writeBytes(e.json());
      lines.writeBytes(LINE_END);
    }
    try {
      makeGroupFolder();
      if (folders.leadsOutside(folder, file.getParent()) || Files.isSymbolicLink(file)) {
        throw DeliveryException.permanent(OUTSIDE);
      }
      // NOFOLLOW_LINKS: a link put in the file's place after the check above is not followed.
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          LinkOption.NOFOLLOW_LINKS)) {
        // A folder on the way may have been swapped for a link since the check: the opened file is checked again.
        if (folders.leadsOutside(folder, file)) {
          throw DeliveryException.permanent(OUTSIDE);
        }
        lines.writeTo(out);
      }
    } catch (IOException e) {
      if (Files.isSymbolicLink(file)) {
        throw DeliveryException.permanent(OUTSIDE);
      }
      throw DeliveryException.retryable("could not append to " + file + ": " + e, e);
    }
  }

  /** The group's folder, made on the first write; its parent, the host's root, must exist. */
  private void makeGroupFolder() throws IOException {
    try {
      Files.createDirectory(folder);
    } catch (FileAlreadyExistsException e) {
      // The usual case: made by an earlier write. Whether it is a link is checked next.
    }
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java platform must offer HmacSHA256, and any non-empty key suits it.
      throw new IllegalStateException(ALGORITHM + " is not available: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return refusal != null ? "JsonLinesFileSink{refusing}" : "JsonLinesFileSink{file=" + file + "}";
  }
}
