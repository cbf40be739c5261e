package io.auditstream.api.destination;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract of HTTP destinations (kind {@value HttpDestinationConfig#KIND}), delivered by {@code
 * io.auditstream:sink-http}. Stored as the URL, content type and header keys, with every header's
 * value among the secrets ({@code headers[i].value}): Owners may read them, but they often carry
 * credentials, so a store can encrypt them. The URL is unique in a group. Stateless.
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
    return b.setting("headers", headers).build();
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
    return b.build();
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
