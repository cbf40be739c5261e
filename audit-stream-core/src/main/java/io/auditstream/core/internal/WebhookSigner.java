package io.auditstream.core.internal;

import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.api.sink.DeliveryAttempt;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Internal: the headers of one delivery attempt, computed by the engine and handed to the sink in a
 * {@link DeliveryAttempt}: the destination's verification token, and, when it signs what it sends, a
 * signer as the Standard Webhooks specification describes it: {@code v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, keyed with the base64-decoded part of each signing secret after {@code
 * whsec_}, one entry per secret (the current one first), space-separated. The secrets stay here; the
 * sink sees signatures only. Stateless; thread-safe.
 */
final class WebhookSigner {
  private static final String HMAC = "HmacSHA256";

  private WebhookSigner() {}

  /** The attempt of {@code destination} made at {@code time}. */
  static DeliveryAttempt attempt(Destination destination, Instant time) {
    // The engine holds destinations as stored, never a listing's redacted copy.
    Map<String, String> headers = Map.of(DeliveryAttempt.TOKEN_HEADER, destination.verificationToken()
        .orElseThrow(() -> new IllegalArgumentException("destination " + destination.id()
            + " is a redacted copy, without its verification token")).reveal());
    WebhookSigning signing = destination.signing();
    if (!signing.enabled()) {
      return DeliveryAttempt.unsigned(time, headers);
    }
    List<SecretKeySpec> keys = signing.secrets().stream().map(WebhookSigner::key).toList();
    return DeliveryAttempt.signed(time, headers, (id, timestamp, body) -> sign(keys, id, timestamp, body));
  }

  /** The {@code webhook-signature} value of {@code id}, {@code timestamp} and {@code body} under every key. */
  static String sign(List<SecretKeySpec> keys, String id, long timestamp, byte[] body) {
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder value = new StringBuilder(keys.size() * 48);
    for (SecretKeySpec key : keys) {
      Mac mac;
      try {
        mac = Mac.getInstance(HMAC);
        mac.init(key);
      } catch (GeneralSecurityException e) {
        // Every JDK has HmacSHA256, and any non-empty key fits it: this is a broken runtime, not bad input.
        throw new IllegalStateException("HmacSHA256 is not available: " + e.getClass().getSimpleName());
      }
      mac.update(prefix);
      mac.update(body);
      if (value.length() > 0) {
        value.append(' ');
      }
      value.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
    }
    return value.toString();
  }

  /** The HMAC key of a validated signing secret: the bytes its base64 after {@code whsec_} encodes. */
  static SecretKeySpec key(Secret secret) {
    String value = secret.reveal();
    return new SecretKeySpec(Base64.getDecoder().decode(value.substring(WebhookSigning.SECRET_PREFIX.length())),
        HMAC);
  }
}
