package io.auditstream.api.sink;

import io.auditstream.api.destination.HttpHeader;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One delivery attempt as the engine hands it to a sink ({@link Sink#deliverAsync(java.util.List,
 * DeliveryAttempt, java.util.concurrent.Executor)}): when it is made, and the headers that prove where
 * a request comes from, computed by the engine for this attempt. A sink whose destination carries
 * headers sends them with every request of the attempt, as they are:
 *
 * <ul>
 *   <li>{@link #headers()}: the headers every request carries, whatever its body: the destination's
 *       verification token ({@value #TOKEN_HEADER});
 *   <li>{@link #headersFor(String, byte[])}: those, and, when the destination signs what it sends,
 *       {@value #WEBHOOK_ID_HEADER}, {@value #WEBHOOK_TIMESTAMP_HEADER} and {@value
 *       #WEBHOOK_SIGNATURE_HEADER} as the Standard Webhooks specification describes them, over the
 *       exact bytes of one request's body.
 * </ul>
 *
 * <p>The message id a sink passes is what receivers deduplicate on: the event id for a request of one
 * event, the {@linkplain BatchIds batch id} for a request of a batch, so that every retry carries the
 * same id. The timestamp is the attempt's time, so a retry carries a new one. The signing secrets stay
 * with the engine: a sink sees signatures only.
 *
 * <p>Immutable and thread-safe. {@link #toString()} names the headers, never their values.
 */
public final class DeliveryAttempt {
  /** The header of the destination's verification token, which every attempt carries. */
  public static final String TOKEN_HEADER = HttpHeader.TOKEN_HEADER;
  /** The header of the message id a signature covers. */
  public static final String WEBHOOK_ID_HEADER = "webhook-id";
  /** The header of the attempt's time, in seconds since the epoch, that a signature covers. */
  public static final String WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp";
  /** The header of the signatures: {@code v1,<base64>} entries, space-separated. */
  public static final String WEBHOOK_SIGNATURE_HEADER = "webhook-signature";

  /**
   * Signs one request of an attempt: computes the {@value #WEBHOOK_SIGNATURE_HEADER} value over {@code
   * messageId}, {@code timestamp} and {@code body}. The engine provides it; it holds the secrets.
   * Implementations are thread-safe.
   */
  @FunctionalInterface
  public interface MessageSigner {
    /**
     * The {@value #WEBHOOK_SIGNATURE_HEADER} value of one request.
     *
     * @param messageId the {@value #WEBHOOK_ID_HEADER} value
     * @param timestamp the {@value #WEBHOOK_TIMESTAMP_HEADER} value, seconds since the epoch
     * @param body the request's body, exactly as it is sent; not modified
     */
    String sign(String messageId, long timestamp, byte[] body);
  }

  private final Instant time;
  private final Map<String, String> headers;
  private final MessageSigner signer;

  private DeliveryAttempt(Instant time, Map<String, String> headers, MessageSigner signer) {
    this.time = Objects.requireNonNull(time, "time");
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    this.signer = signer;
  }

  /**
   * An attempt whose requests carry {@code headers} and no signature.
   *
   * @param headers in the order they are sent; copied
   */
  public static DeliveryAttempt unsigned(Instant time, Map<String, String> headers) {
    return new DeliveryAttempt(time, headers, null);
  }

  /**
   * An attempt whose requests carry {@code headers} and are signed by {@code signer}.
   *
   * @param headers in the order they are sent; copied
   */
  public static DeliveryAttempt signed(Instant time, Map<String, String> headers, MessageSigner signer) {
    return new DeliveryAttempt(time, headers, Objects.requireNonNull(signer, "signer"));
  }

  /** When the engine made the attempt. */
  public Instant time() {
    return time;
  }

  /** The attempt's time in whole seconds since the epoch: the {@value #WEBHOOK_TIMESTAMP_HEADER} value. */
  public long timestamp() {
    return time.getEpochSecond();
  }

  /** Whether the requests of this attempt are signed. */
  public boolean signed() {
    return signer != null;
  }

  /** The headers every request of the attempt carries, whatever its body, in order. Unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The headers of one request of the attempt, in order: {@link #headers()}, then, when the attempt is
   * {@linkplain #signed() signed}, {@value #WEBHOOK_ID_HEADER}, {@value #WEBHOOK_TIMESTAMP_HEADER} and
   * {@value #WEBHOOK_SIGNATURE_HEADER}. Unmodifiable.
   *
   * @param messageId what receivers deduplicate the request on: its event id, or its batch id
   * @param body the request's body, exactly as the sink sends it; not modified
   */
  public Map<String, String> headersFor(String messageId, byte[] body) {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    if (signer == null) {
      return headers;
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    long timestamp = timestamp();
    all.put(WEBHOOK_ID_HEADER, messageId);
    all.put(WEBHOOK_TIMESTAMP_HEADER, Long.toString(timestamp));
    all.put(WEBHOOK_SIGNATURE_HEADER, signer.sign(messageId, timestamp, body));
    return Collections.unmodifiableMap(all);
  }

  /** The headers of a request of {@code event} alone: {@link #headersFor(String, byte[])} of its id and JSON. */
  public Map<String, String> headersFor(EncodedEvent event) {
    return headersFor(event.event().id(), event.json());
  }

  @Override
  public String toString() {
    return "DeliveryAttempt{time=" + time + ", headers=" + headers.keySet() + ", signed=" + signed() + "}";
  }
}
