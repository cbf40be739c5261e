package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.CustomDestinationConfig;
import io.auditstream.api.destination.DestinationConfig;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Stores a {@link CustomDestinationConfig}: its kind, settings and secrets (in plain text). */
final class CustomConfigCodec implements ConfigCodec {
  @Override
  public String type() {
    return "custom";
  }

  @Override
  public boolean handles(DestinationConfig config) {
    return config instanceof CustomDestinationConfig;
  }

  @Override
  public void write(DestinationConfig config, ObjectNode out) {
    CustomDestinationConfig custom = (CustomDestinationConfig) config;
    ObjectNode settings = out.putObject("settings");
    custom.settings().forEach(settings::put);
    ObjectNode secrets = out.putObject("secrets");
    custom.secrets().forEach((k, v) -> secrets.put(k, v.reveal()));
  }

  @Override
  public DestinationConfig read(JsonNode in) {
    Map<String, String> settings = new TreeMap<>();
    readStrings(in, "settings", settings::put);
    Map<String, Secret> secrets = new TreeMap<>();
    readStrings(in, "secrets", (k, v) -> secrets.put(k, Secret.of(v)));
    return new CustomDestinationConfig(ConfigCodec.text(in, "kind"), settings, secrets);
  }

  private static void readStrings(JsonNode in, String field, java.util.function.BiConsumer<String, String> sink) {
    JsonNode obj = in.path(field);
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("field '" + field + "." + e.getKey() + "' is not a string");
      }
      sink.accept(e.getKey(), e.getValue().asText());
    }
  }
}
