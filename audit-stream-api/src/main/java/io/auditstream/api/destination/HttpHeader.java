package io.auditstream.api.destination;

import io.auditstream.api.MessageText;
import io.auditstream.api.ValidationException;
import java.util.Locale;
import java.util.Set;

/**
 * A custom HTTP header that an HTTP destination sends with every event while it is active.
 *
 * <p>Rules (checked on construction): {@code key} is 1 to 255 HTTP token characters and is neither
 * the verification-token header (in any case) nor a header the transport or a signing setting controls
 * (any case; {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} among them) nor a
 * connection-level header ({@code Connection}, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code Transfer-Encoding}, {@code Upgrade}, {@code TE}), which HTTP/2 forbids in a request;
 * {@code value} is 1 to 2000 characters that follow {@link HeaderText}'s rule (visible ASCII, spaces
 * and tabs only inside), so that every HTTP transport sends it unchanged.
 *
 * <p>Values often carry credentials (an {@code Authorization} header), so {@link #toString()} never
 * shows them.
 *
 * @param key the header name
 * @param value the header value
 * @param active whether it is sent
 */
public record HttpHeader(String key, String value, boolean active) {
  /** The header that carries the destination's verification token. */
  public static final String TOKEN_HEADER = "X-Gitlab-Event-Streaming-Token";
  /** The header that carries the event type. */
  public static final String EVENT_TYPE_HEADER = "X-Gitlab-Audit-Event-Type";

  /** The longest a header key may be, in characters. */
  public static final int MAX_KEY_LENGTH = 255;
  /** The longest a header value may be, in characters. */
  public static final int MAX_VALUE_LENGTH = 2000;

  private static final String TCHAR_SPECIALS = "!#$%&'*+-.^_`|~";
  /** Headers the HTTP transport or the destination's own settings control. */
  private static final Set<String> RESERVED =
      Set.of(
          TOKEN_HEADER.toLowerCase(Locale.ROOT),
          EVENT_TYPE_HEADER.toLowerCase(Locale.ROOT),
          HttpBatching.BATCH_ID_HEADER.toLowerCase(Locale.ROOT),
          HttpBatching.BATCH_SIZE_HEADER.toLowerCase(Locale.ROOT),
          "content-type",
          "content-length",
          "host",
          "expect",
          // Standard Webhooks signature headers, which a destination's signing setting sends.
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature");
  /**
   * Connection-level headers: they describe one hop, not the message, and HTTP/2 (RFC 9113, 8.2.2) makes a
   * request that carries them malformed, so a transport that speaks HTTP/2 could never send them.
   */
  private static final Set<String> CONNECTION_LEVEL =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

  /**
   * Creates the header after checking the rules above.
   *
   * @throws ValidationException naming {@code key} and/or {@code value} for each rule broken; the message
   *     never shows the value
   */
  public HttpHeader {
    ValidationException.Collector v = ValidationException.collector();
    validate(v, "", key, value);
    v.throwIfAny();
  }

  /**
   * Checks a header's key and value against the rules above, recording each violation on field
   * {@code prefix + "key"} or {@code prefix + "value"} (for example {@code headers[2].value}), with
   * messages that start with that field and never show the value.
   */
  public static void validate(ValidationException.Collector v, String prefix, String key, String value) {
    String k = prefix + "key";
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      v.add(k, k + " must be 1 to " + MAX_KEY_LENGTH + " characters (was " + (key == null ? 0 : key.length()) + ")");
    } else if (!isToken(key)) {
      v.add(k, k + " must contain only HTTP token characters (letters, digits and "
          + TCHAR_SPECIALS + "), was '" + printable(key) + "'");
    } else if (key.equalsIgnoreCase(TOKEN_HEADER)) {
      v.add(k, k + " must not be " + TOKEN_HEADER + ": the verification token header cannot be replaced");
    } else if (key.equalsIgnoreCase("content-type")) {
      v.add(k, k + " must not be Content-Type: set the destination's contentType instead");
    } else if (CONNECTION_LEVEL.contains(key.toLowerCase(Locale.ROOT))) {
      v.add(k, k + " must not be " + key + ": a connection-level header, which the transport controls and "
          + "HTTP/2 forbids in a request");
    } else if (RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
      v.add(k, k + " must not be " + key + ": that header is set by audit-stream");
    }
    String f = prefix + "value";
    if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
      v.add(f, f + " must be 1 to " + MAX_VALUE_LENGTH + " characters (was "
          + (value == null ? 0 : value.length()) + ")");
    } else if (!HeaderText.isSendable(value)) {
      v.add(f, f + " " + HeaderText.describe(value));
    }
  }

  /** An active header. */
  public static HttpHeader of(String key, String value) {
    return new HttpHeader(key, value, true);
  }

  /** This header with another active flag. */
  public HttpHeader withActive(boolean active) {
    return new HttpHeader(key, value, active);
  }

  /** Whether this header's key equals {@code other}, ignoring case as HTTP does. */
  public boolean hasKey(String other) {
    return key.equalsIgnoreCase(other);
  }

  @Override
  public String toString() {
    return "HttpHeader{key=" + key + ", value=****, active=" + active + "}";
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || TCHAR_SPECIALS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    return MessageText.shown(s);
  }
}
