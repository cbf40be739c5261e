package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shape of one stored {@link Destination}, every field included (the verification token
 * and config secrets in plain text). Configs are written by the {@link ConfigCodec} of their type.
 * Readers ignore fields they do not know, so a later version may add fields. Thread-safe.
 */
final class DestinationJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<ConfigCodec> CODECS = List.of(new HttpConfigCodec(), new CustomConfigCodec(),
      new GcpConfigCodec(), new S3ConfigCodec());

  private DestinationJson() {}

  static ObjectNode write(Destination d) {
    ObjectNode out = NODES.objectNode();
    out.put("id", d.id().value());
    out.put("groupPath", d.groupPath());
    out.put("name", d.name());
    out.put("active", d.active());
    out.put("verificationToken", d.verificationToken().reveal());
    ObjectNode config = out.putObject("config");
    ConfigCodec codec = codecFor(d.config());
    config.put("type", codec.type());
    config.put("kind", d.kind());
    codec.write(d.config(), config);
    ArrayNode types = out.putArray("eventTypeFilter");
    d.eventTypeFilter().forEach(types::add);
    ArrayNode namespaces = out.putArray("namespaceFilter");
    for (Namespace ns : d.namespaceFilter()) {
      namespaces.addObject().put("fullPath", ns.fullPath()).put("kind", ns.kind().name().toLowerCase(Locale.ROOT));
    }
    out.put("createdAt", d.createdAt().toString());
    out.put("updatedAt", d.updatedAt().toString());
    return out;
  }

  /**
   * Reads a destination that {@link #write} wrote.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   * @throws io.auditstream.api.ValidationException when a value breaks a destination rule
   */
  static Destination read(JsonNode in) {
    if (!in.isObject()) {
      throw new IllegalArgumentException("a destination must be a JSON object");
    }
    JsonNode configNode = in.get("config");
    if (configNode == null || !configNode.isObject()) {
      throw new IllegalArgumentException("field 'config' is missing or not an object");
    }
    String type = ConfigCodec.text(configNode, "type");
    ConfigCodec codec = CODECS.stream().filter(c -> c.type().equals(type)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("config type '" + type
            + "' is unknown to this version of audit-stream"));
    DestinationConfig config = codec.read(configNode);
    List<String> types = new ArrayList<>();
    for (JsonNode t : in.path("eventTypeFilter")) {
      types.add(t.asText());
    }
    List<Namespace> namespaces = new ArrayList<>();
    for (JsonNode n : in.path("namespaceFilter")) {
      String kind = ConfigCodec.text(n, "kind");
      namespaces.add(new Namespace(ConfigCodec.text(n, "fullPath"),
          Namespace.Kind.valueOf(kind.toUpperCase(Locale.ROOT))));
    }
    return Destination.builder()
        .id(DestinationId.of(ConfigCodec.text(in, "id")))
        .groupPath(ConfigCodec.text(in, "groupPath"))
        .name(ConfigCodec.text(in, "name"))
        .active(ConfigCodec.bool(in, "active", true))
        .verificationToken(Secret.of(ConfigCodec.text(in, "verificationToken")))
        .config(config)
        .eventTypeFilter(types)
        .namespaceFilter(namespaces)
        .createdAt(instant(in, "createdAt"))
        .updatedAt(in.hasNonNull("updatedAt") ? instant(in, "updatedAt") : null)
        .build();
  }

  private static Instant instant(JsonNode in, String field) {
    try {
      return Instant.parse(ConfigCodec.text(in, field));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field '" + field + "' is not an ISO-8601 instant");
    }
  }

  private static ConfigCodec codecFor(DestinationConfig config) {
    return CODECS.stream().filter(c -> c.handles(config)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("config class " + config.getClass().getName()
            + " (kind '" + config.kind() + "') cannot be stored by this version of audit-stream"));
  }
}
