package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;

/** Stores an {@link HttpDestinationConfig}: URL, content type and headers (values included). */
final class HttpConfigCodec implements ConfigCodec {
  @Override
  public String type() {
    return "http";
  }

  @Override
  public boolean handles(DestinationConfig config) {
    return config instanceof HttpDestinationConfig;
  }

  @Override
  public void write(DestinationConfig config, ObjectNode out) {
    HttpDestinationConfig http = (HttpDestinationConfig) config;
    out.put("destinationUrl", http.destinationUrl());
    out.put("contentType", http.contentType());
    ArrayNode headers = out.putArray("headers");
    for (HttpHeader h : http.headers()) {
      headers.addObject().put("key", h.key()).put("value", h.value()).put("active", h.active());
    }
  }

  @Override
  public DestinationConfig read(JsonNode in) {
    HttpDestinationConfig.Builder b = HttpDestinationConfig.builder()
        .destinationUrl(ConfigCodec.text(in, "destinationUrl"))
        .contentType(ConfigCodec.optionalText(in, "contentType"));
    JsonNode headers = in.path("headers");
    for (JsonNode h : headers) {
      b.header(new HttpHeader(ConfigCodec.text(h, "key"), ConfigCodec.text(h, "value"),
          ConfigCodec.bool(h, "active", true)));
    }
    return b.build();
  }
}
