package io.auditstream.webhook;

import io.auditstream.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a received request was signed as the Standard Webhooks specification describes, by a
 * sender holding one of the signing secrets: its {@value #SIGNATURE_HEADER} header holds, among its
 * space-separated entries, a {@code v1,<base64>} HMAC-SHA256 of {@code "<webhook-id>.<webhook-timestamp>.<body>"}
 * under one of the secrets, and its {@value #TIMESTAMP_HEADER} is within the tolerance of now (so that
 * a captured request cannot be replayed later). Signatures are compared in constant time ({@link
 * MessageDigest#isEqual}).
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret(System.getenv("AUDIT_SIGNING_SECRET")).build();
 * byte[] body = exchange.getRequestBody().readAllBytes();          // the bytes as received
 * try {
 *   verifier.verify(exchange.getRequestHeaders()::getFirst, body);  // header look-up, any case
 * } catch (WebhookVerificationException e) {
 *   exchange.sendResponseHeaders(401, -1);                          // e.reason() says why
 * }
 * }</pre>
 *
 * <p>Several secrets: during a rotation the sender signs with its new secret and its previous one, and
 * a receiver may hold either, or both while it switches; a request is accepted when any entry matches
 * under any secret. Deduplicate on {@value #ID_HEADER}: a retry carries the same id (and a new
 * timestamp and signature).
 *
 * <p>Immutable and thread-safe. No message and no {@link #toString()} ever shows a secret.
 */
public final class WebhookVerifier {
  /** The header of the message id: an event id, or the id of a batch. */
  public static final String ID_HEADER = "webhook-id";
  /** The header of the time of sending, in seconds since the epoch. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  /** The header of the signatures: {@code v1,<base64>} entries, space-separated. */
  public static final String SIGNATURE_HEADER = "webhook-signature";
  /** What a signing secret may start with; the rest is the base64 of the key. */
  public static final String SECRET_PREFIX = "whsec_";
  /** How far a timestamp may be from now, either way, unless the builder says otherwise. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String HMAC = "HmacSHA256";
  private static final String VERSION = "v1,";

  private final List<SecretKeySpec> keys;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.tolerance = b.tolerance;
    this.clock = b.clock;
  }

  /** A builder; at least one secret must be added. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a request whose headers {@code header} looks up by name (as {@code
   * HttpExchange.getRequestHeaders()::getFirst} or {@code HttpServletRequest::getHeader} do, in any case).
   *
   * @param header returns a header's value, or null when the request has none
   * @param body the request's body, exactly as received (before any parsing)
   * @throws WebhookVerificationException when the request must not be trusted
   */
  public void verify(UnaryOperator<String> header, byte[] body) throws WebhookVerificationException {
    Objects.requireNonNull(header, "header");
    verify(header.apply(ID_HEADER), header.apply(TIMESTAMP_HEADER), header.apply(SIGNATURE_HEADER), body);
  }

  /**
   * Verifies a request from its three header values and its body.
   *
   * @param id the {@value #ID_HEADER} value
   * @param timestamp the {@value #TIMESTAMP_HEADER} value
   * @param signatures the {@value #SIGNATURE_HEADER} value
   * @param body the request's body, exactly as received (before any parsing)
   * @throws WebhookVerificationException when a header is missing, the timestamp is malformed or out of
   *     tolerance, or no signature matches
   */
  public void verify(String id, String timestamp, String signatures, byte[] body)
      throws WebhookVerificationException {
    Objects.requireNonNull(body, "body");
    require(id, ID_HEADER);
    require(timestamp, TIMESTAMP_HEADER);
    require(signatures, SIGNATURE_HEADER);
    long sentAt = seconds(timestamp.trim());
    long now = clock.instant().getEpochSecond();
    long allowed = tolerance.getSeconds();
    if (sentAt < now - allowed) {
      throw new WebhookVerificationException(Reason.TIMESTAMP_TOO_OLD, TIMESTAMP_HEADER + " is " + (now - sentAt)
          + " s in the past, more than the tolerance of " + allowed + " s");
    }
    if (sentAt > now + allowed) {
      throw new WebhookVerificationException(Reason.TIMESTAMP_TOO_NEW, TIMESTAMP_HEADER + " is " + (sentAt - now)
          + " s in the future, more than the tolerance of " + allowed + " s");
    }
    byte[] signed = (id + "." + timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8);
    List<byte[]> expected = new ArrayList<>(keys.size());
    for (SecretKeySpec key : keys) {
      expected.add(hmac(key, signed, body));
    }
    int entries = 0;
    for (String entry : signatures.trim().split(" +")) {
      if (!entry.startsWith(VERSION)) {
        continue;
      }
      entries++;
      byte[] candidate;
      try {
        candidate = Base64.getDecoder().decode(entry.substring(VERSION.length()));
      } catch (IllegalArgumentException e) {
        continue;
      }
      // Every secret is tried, a match or not, so the time taken says nothing about which one matched.
      boolean matched = false;
      for (byte[] e : expected) {
        matched |= MessageDigest.isEqual(e, candidate);
      }
      if (matched) {
        return;
      }
    }
    throw new WebhookVerificationException(Reason.NO_MATCHING_SIGNATURE, entries == 0
        ? SIGNATURE_HEADER + " holds no " + VERSION + " entry"
        : "none of the " + entries + " " + VERSION + " signatures matches under any of the " + keys.size()
            + " secrets");
  }

  private static void require(String value, String name) throws WebhookVerificationException {
    if (value == null || value.isBlank()) {
      throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + name + " is missing");
    }
  }

  private static long seconds(String timestamp) throws WebhookVerificationException {
    // Digits only: no sign, no fraction, at most 18 of them (well beyond year 9999, and no overflow).
    if (timestamp.isEmpty() || timestamp.length() > 18 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new WebhookVerificationException(Reason.BAD_TIMESTAMP, TIMESTAMP_HEADER
          + " must be a whole number of seconds since the epoch");
    }
    return Long.parseLong(timestamp);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] signed, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      mac.update(signed);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      // Every JDK has HmacSHA256, and every key the builder accepted fits it.
      throw new IllegalStateException("HmacSHA256 is not available: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "WebhookVerifier{secrets=" + keys.size() + ", tolerance=" + tolerance + "}";
  }

  /** Builds a {@link WebhookVerifier}. Not thread-safe. */
  public static final class Builder {
    private final List<SecretKeySpec> keys = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a signing secret: {@value #SECRET_PREFIX} and the base64 of the key, or the base64 alone.
     * Repeatable: during a rotation, add the new secret and the previous one.
     *
     * @throws IllegalArgumentException when it is not base64 of at least one byte (the message never
     *     shows it)
     */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret");
      String base64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
      byte[] key;
      try {
        key = Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("secret must be " + SECRET_PREFIX
            + " (optional) followed by base64, the standard alphabet without spaces (was " + secret.length()
            + " characters)");
      }
      if (key.length == 0) {
        throw new IllegalArgumentException("secret must encode at least one byte (was empty)");
      }
      keys.add(new SecretKeySpec(key, HMAC));
      return this;
    }

    /**
     * How far a timestamp may be from now, either way; {@link #DEFAULT_TOLERANCE} unless set. Whole
     * seconds count.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance must not be negative (was " + tolerance + ")");
      }
      this.tolerance = tolerance;
      return this;
    }

    /** Where now comes from; the system clock unless set (tests pass a fixed one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws IllegalStateException when no secret was added
     */
    public WebhookVerifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("a verifier needs at least one secret");
      }
      return new WebhookVerifier(this);
    }
  }
}
