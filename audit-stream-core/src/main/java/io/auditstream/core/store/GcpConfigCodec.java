package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;

/**
 * Stores a {@link GcpLoggingDestinationConfig}: project, client email, log id, the optional endpoint
 * overrides, and the private key under {@code secrets} in plain text (as {@link CustomConfigCodec}
 * stores secrets), so the store file must stay readable by the host only.
 */
final class GcpConfigCodec implements ConfigCodec {
  @Override
  public String type() {
    return "gcp";
  }

  @Override
  public boolean handles(DestinationConfig config) {
    return config instanceof GcpLoggingDestinationConfig;
  }

  @Override
  public void write(DestinationConfig config, ObjectNode out) {
    GcpLoggingDestinationConfig gcp = (GcpLoggingDestinationConfig) config;
    out.put("googleProjectIdName", gcp.googleProjectIdName());
    out.put("clientEmail", gcp.clientEmail());
    out.put("logIdName", gcp.logIdName());
    gcp.privateKey().ifPresent(k -> out.putObject("secrets").put("privateKey", k.reveal()));
    gcp.endpoint().ifPresent(e -> out.put("endpoint", e));
    gcp.tokenServerUri().ifPresent(u -> out.put("tokenServerUri", u.toString()));
    if (gcp.plaintext()) {
      out.put("plaintext", true);
    }
  }

  @Override
  public DestinationConfig read(JsonNode in) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(ConfigCodec.text(in, "googleProjectIdName"))
        .clientEmail(ConfigCodec.text(in, "clientEmail"))
        .logIdName(ConfigCodec.text(in, "logIdName"))
        .privateKey(ConfigCodec.optionalText(in.path("secrets"), "privateKey"))
        .endpoint(ConfigCodec.optionalText(in, "endpoint"))
        .tokenServerUri(ConfigCodec.optionalText(in, "tokenServerUri"))
        .plaintext(ConfigCodec.bool(in, "plaintext", false))
        .build();
  }
}
