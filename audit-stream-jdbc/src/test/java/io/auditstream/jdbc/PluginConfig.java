package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.StoredConfig;
import io.auditstream.api.destination.WriteOnlySecret;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The config of a destination kind written by a host (not one of the built-in kinds), to show that
 * the store keeps a kind it does not know: a plain setting, a nested one and a write-only secret.
 */
record PluginConfig(String endpoint, List<String> regions, WriteOnlySecret apiKey) implements DestinationConfig {
  static final String KIND = "webhook-x";
  static final DestinationKind<PluginConfig> DESTINATION_KIND = new Kind();

  PluginConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    regions = List.copyOf(regions);
    Objects.requireNonNull(apiKey, "apiKey");
  }

  @Override
  public DestinationKind<PluginConfig> destinationKind() {
    return DESTINATION_KIND;
  }

  private static final class Kind implements DestinationKind<PluginConfig> {
    @Override
    public String name() {
      return KIND;
    }

    @Override
    public Class<PluginConfig> configType() {
      return PluginConfig.class;
    }

    @Override
    public String artifact() {
      return "com.example:audit-sink-webhook-x";
    }

    @Override
    public StoredConfig encode(PluginConfig c) {
      return StoredConfig.builder().setting("endpoint", c.endpoint())
          .setting("routing", Map.of("regions", c.regions(), "retries", 3))
          .secret("apiKey", c.apiKey()).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public PluginConfig decode(StoredConfig stored) {
      Map<String, Object> routing = (Map<String, Object>) stored.settings().get("routing");
      return new PluginConfig(stored.text("endpoint"), (List<String>) routing.get("regions"),
          WriteOnlySecret.ofNullable(stored.secret("apiKey").orElse(null)));
    }

    @Override
    public Map<String, WriteOnlySecret> writeOnlySecrets(PluginConfig c) {
      return Map.of("apiKey", c.apiKey());
    }

    @Override
    public PluginConfig withWriteOnlySecrets(PluginConfig c, Map<String, WriteOnlySecret> secrets) {
      return new PluginConfig(c.endpoint(), c.regions(), secrets.getOrDefault("apiKey", c.apiKey()));
    }
  }
}
