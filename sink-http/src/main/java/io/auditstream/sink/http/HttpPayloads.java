package io.auditstream.sink.http;

import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.BatchIds;
import io.auditstream.api.sink.DeliveryAttempt;
import io.auditstream.api.sink.EncodedEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one HTTP destination's requests carry: headers and body of one event, as GitLab sends it, or of
 * a batch of events as NDJSON ({@link HttpBatching}). Internal; may change without notice. Immutable and
 * thread-safe.
 */
final class HttpPayloads {
  /**
   * The headers and body of one request, and what it carries for log lines (an event id, or a batch
   * id and size; never a secret).
   */
  record Payload(Map<String, String> headers, byte[] body, String what) {}

  private final Map<String, String> singleHeaders;
  private final Map<String, String> batchHeaders;

  HttpPayloads(HttpDestinationConfig config, String userAgent) {
    this.singleHeaders = fixedHeaders(config, config.contentType(), userAgent);
    this.batchHeaders = fixedHeaders(config, HttpBatching.CONTENT_TYPE, userAgent);
  }

  /**
   * The headers every request of this destination carries before the attempt's, in the order the sink
   * always set them: User-Agent, the active custom headers (which may replace the User-Agent), and
   * Content-Type.
   */
  private static Map<String, String> fixedHeaders(HttpDestinationConfig config, String contentType,
      String userAgent) {
    Map<String, String> headers = new LinkedHashMap<>();
    put(headers, "User-Agent", userAgent);
    for (HttpHeader h : config.activeHeaders()) {
      put(headers, h.key(), h.value());
    }
    put(headers, "Content-Type", contentType);
    return Collections.unmodifiableMap(headers);
  }

  /**
   * {@code fixed}, then the attempt's headers of this request (the token, and the signature headers when
   * the destination signs), put last so that nothing configured can stand in for them.
   */
  private static Map<String, String> withAttempt(Map<String, String> fixed, Map<String, String> attempt) {
    Map<String, String> headers = new LinkedHashMap<>(fixed);
    attempt.forEach((name, value) -> put(headers, name, value));
    return headers;
  }

  /** Sets {@code name}, replacing a header whose name differs only in case, as HTTP names do. */
  private static void put(Map<String, String> headers, String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    headers.keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).equals(lower));
    headers.put(name, value);
  }

  /**
   * One event: its JSON bytes as they are, with the attempt's headers (signed on the event id) and the
   * event-type header.
   */
  Payload single(EncodedEvent event, DeliveryAttempt attempt) {
    Map<String, String> headers = withAttempt(singleHeaders, attempt.headersFor(event));
    headers.put(HttpHeader.EVENT_TYPE_HEADER, event.event().eventType());
    return new Payload(headers, event.json(), "event " + event.event().id());
  }

  /**
   * A batch of one event or more, oldest first: NDJSON, each event's JSON bytes as they are followed by
   * {@code \n}, with the attempt's headers (signed on the batch id, which every retry of the batch
   * carries), the batch's id and size, and no event-type header (a batch may mix types).
   */
  Payload batch(List<EncodedEvent> batch, DeliveryAttempt attempt) {
    String id = BatchIds.of(batch);
    int length = 0;
    for (EncodedEvent e : batch) {
      length = Math.addExact(Math.addExact(length, e.json().length), 1);
    }
    byte[] body = new byte[length];
    int at = 0;
    for (EncodedEvent e : batch) {
      byte[] json = e.json();
      System.arraycopy(json, 0, body, at, json.length);
      at += json.length;
      body[at++] = '\n';
    }
    Map<String, String> headers = withAttempt(batchHeaders, attempt.headersFor(id, body));
    headers.put(HttpBatching.BATCH_ID_HEADER, id);
    headers.put(HttpBatching.BATCH_SIZE_HEADER, Integer.toString(batch.size()));
    return new Payload(headers, body, "batch " + id + " of " + batch.size() + " events");
  }
}
