package io.auditstream.api.destination;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract of HTTP destinations (kind {@value HttpDestinationConfig#KIND}), delivered by {@code
 * io.auditstream:sink-http}. Stored as the URL, content type and header keys, with every header's
 * value among the secrets ({@code headers[i].value}): Owners may read them, but they often carry
 * credentials, so a store can encrypt them. Batching, when on, is stored as {@code batching: {maxEvents,
 * maxBytes, linger}} (the linger as an ISO-8601 duration, {@code PT0.2S}); a config stored without it (as
 * every config before batching existed) reads back with batching off. The URL is unique in a group.
 * Stateless.
 */
public final class HttpDestinationKind implements DestinationKind<HttpDestinationConfig> {
  /** Use {@link HttpDestinationConfig#DESTINATION_KIND}; public for {@link java.util.ServiceLoader}. */
  public HttpDestinationKind() {}

  @Override
  public String name() {
    return HttpDestinationConfig.KIND;
  }

  @Override
  public Class<HttpDestinationConfig> configType() {
    return HttpDestinationConfig.class;
  }

  @Override
  public String artifact() {
    return "io.auditstream:sink-http";
  }

  @Override
  public StoredConfig encode(HttpDestinationConfig config) {
    StoredConfig.Builder b = StoredConfig.builder()
        .setting("destinationUrl", config.destinationUrl())
        .setting("contentType", config.contentType());
    List<Object> headers = new ArrayList<>();
    for (int i = 0; i < config.headers().size(); i++) {
      HttpHeader h = config.headers().get(i);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("key", h.key());
      entry.put("active", h.active());
      headers.add(entry);
      b.secret(valueName(i), io.auditstream.api.Secret.of(h.value()));
    }
    b.setting("headers", headers);
    config.batching().ifPresent(batching -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("maxEvents", batching.maxEvents());
      entry.put("maxBytes", batching.maxBytes());
      entry.put("linger", batching.linger().toString());
      b.setting("batching", entry);
    });
    return b.build();
  }

  @Override
  public HttpDestinationConfig decode(StoredConfig stored) {
    HttpDestinationConfig.Builder b = HttpDestinationConfig.builder()
        .destinationUrl(stored.text("destinationUrl"))
        .contentType(stored.optionalText("contentType").orElse(null));
    List<Map<String, Object>> headers = stored.objects("headers");
    for (int i = 0; i < headers.size(); i++) {
      String path = "headers[" + i + "].";
      String value = stored.secret(valueName(i))
          .orElseThrow(() -> new IllegalArgumentException("secret '" + path + "value' is missing"))
          .reveal();
      b.header(StoredConfig.text(headers.get(i), "key", path), value,
          StoredConfig.bool(headers.get(i), "active", path, true));
    }
    return b.batching(batching(stored)).build();
  }

  /** The stored batching setting; null (off) when absent, as in configs stored before it existed. */
  private static HttpBatching batching(StoredConfig stored) {
    Object value = stored.settings().get("batching");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> in)) {
      throw new IllegalArgumentException("setting 'batching' is not an object");
    }
    long maxEvents = whole(in, "maxEvents");
    if (maxEvents < Integer.MIN_VALUE || maxEvents > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("setting 'batching.maxEvents' is out of range");
    }
    if (!(in.get("linger") instanceof String linger)) {
      throw new IllegalArgumentException("setting 'batching.linger' is missing or not a string");
    }
    Duration parsed;
    try {
      parsed = Duration.parse(linger);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("setting 'batching.linger' is not an ISO-8601 duration such as PT0.2S");
    }
    return new HttpBatching((int) maxEvents, whole(in, "maxBytes"), parsed);
  }

  private static long whole(Map<?, ?> in, String field) {
    Object v = in.get(field);
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException("setting 'batching." + field + "' is missing or not a whole number");
  }

  /** The URL: two destinations of a group never stream to the same one. */
  @Override
  public Optional<UniqueKey> uniqueKey(HttpDestinationConfig config) {
    return Optional.of(new UniqueKey("destinationUrl", config.destinationUrl(), "destinationUrl must be unique",
        "already streams to it"));
  }

  private static String valueName(int i) {
    return "headers[" + i + "].value";
  }

  @Override
  public String toString() {
    return "DestinationKind{" + name() + "}";
  }
}
