package io.auditstream.examples.customsink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One line of a JSON lines file destination, read the way a receiver reads it: the signature, and the
 * event's JSON exactly as written (the bytes between {@code "event":} and the closing brace).
 *
 * @param signature the hex HMAC-SHA256 after {@code sha256=}
 * @param eventJson the event's JSON, byte for byte
 */
record SignedLine(String signature, byte[] eventJson) {
  private static final Pattern LINE = Pattern.compile("\\{\"signature\":\"sha256=([0-9a-f]{64})\",\"event\":(.+)}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every line of {@code file}; fails when one is not of the sink's shape. */
  static List<SignedLine> readAll(Path file) {
    List<SignedLine> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          throw new AssertionError("not a signed JSON line: " + line);
        }
        // The whole line is one JSON object too.
        JSON.readTree(line);
        lines.add(new SignedLine(m.group(1), m.group(2).getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** Whether the signature is the HMAC-SHA256 of the event's JSON with {@code key}. */
  boolean signedWith(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return MessageDigest.isEqual(HexFormat.of().parseHex(signature), mac.doFinal(eventJson));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event, parsed. */
  JsonNode event() {
    try {
      return JSON.readTree(eventJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The event's {@code id}. */
  String eventId() {
    return event().get("id").asText();
  }
}
