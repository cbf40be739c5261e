package io.auditstream.examples.customsink;

import io.auditstream.api.Secret;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  private final Path file;
  private final SecretKeySpec key;

  /**
   * @param signingKey the key; {@code null} only for a destination stored without one (its kind
   *     requires one on save), whose deliveries then fail for good
   */
  JsonLinesFileSink(Path file, Secret signingKey) {
    this.file = file;
    this.key = signingKey == null ? null
        : new SecretKeySpec(signingKey.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  @Override
  public int maxBatchSize() {
    return MAX_BATCH_SIZE;
  }

  /**
   * @throws DeliveryException retryable when the file cannot be written (a full disk or a missing
   *     folder, which an operator can fix); permanent when the destination has no signing key
   */
  @Override
  public void deliver(List<EncodedEvent> batch) throws DeliveryException {
    if (key == null) {
      throw DeliveryException.permanent("signingKey is not set: update the destination with one", null);
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
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      lines.writeTo(out);
    } catch (IOException e) {
      throw DeliveryException.retryable("could not append to " + file + ": " + e, e);
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
    return "JsonLinesFileSink{file=" + file + "}";
  }
}
