package io.auditstream.core.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationConfigs;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.StoredConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shape of one stored {@link Destination}. Every kind is written alike, by its own {@link
 * io.auditstream.api.destination.DestinationKind}: {@code kind} and {@code artifact} (what provides
 * it), {@code config} (its plain settings) and, apart under {@code secrets}, the verification token
 * and the config's secrets (in plain text here); {@code pausedReason} only when it is paused. A
 * destination whose kind is unknown when read is kept as an {@link
 * io.auditstream.api.destination.UnavailableDestinationConfig} and written back unchanged. Readers
 * ignore fields they do not know, so a later version may add fields. Thread-safe.
 */
final class DestinationJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final DestinationKinds kinds;

  DestinationJson(DestinationKinds kinds) {
    this.kinds = kinds;
  }

  ObjectNode write(Destination d) {
    DestinationConfig config = d.config();
    StoredConfig stored = DestinationConfigs.encode(config);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", d.id().value());
    out.put("groupPath", d.groupPath());
    out.put("name", d.name());
    out.put("active", d.active());
    d.pausedReason().ifPresent(reason -> out.put("pausedReason", reason));
    out.put("kind", config.kind());
    out.put("artifact", config.destinationKind().artifact());
    out.set("config", MAPPER.valueToTree(stored.settings()));
    ObjectNode secrets = out.putObject("secrets");
    secrets.put("verificationToken", d.verificationToken().orElseThrow(() -> new IllegalArgumentException(
        "destination " + d.id() + " is a redacted copy, without its verification token: it cannot be saved")).reveal());
    ObjectNode configSecrets = secrets.putObject("config");
    stored.secrets().forEach((name, secret) -> configSecrets.put(name, secret.reveal()));
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
   * @throws IllegalArgumentException naming the field that is missing or malformed (never its value)
   * @throws io.auditstream.api.ValidationException when a value breaks a destination rule
   */
  Destination read(JsonNode in) {
    if (!in.isObject()) {
      throw new IllegalArgumentException("a destination must be a JSON object");
    }
    JsonNode configNode = in.get("config");
    if (configNode == null || !configNode.isObject()) {
      throw new IllegalArgumentException("field 'config' is missing or not an object");
    }
    JsonNode secrets = in.path("secrets");
    Map<String, Secret> configSecrets = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = secrets.path("config").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("field 'secrets.config." + e.getKey() + "' is not a string");
      }
      configSecrets.put(e.getKey(), Secret.of(e.getValue().asText()));
    }
    StoredConfig stored = new StoredConfig(MAPPER.convertValue(configNode, OBJECT), configSecrets);
    DestinationConfig config = kinds.decode(text(in, "kind"), Optional.ofNullable(optionalText(in, "artifact")),
        stored);
    List<String> types = new ArrayList<>();
    for (JsonNode t : in.path("eventTypeFilter")) {
      types.add(t.asText());
    }
    List<Namespace> namespaces = new ArrayList<>();
    for (JsonNode n : in.path("namespaceFilter")) {
      String kind = text(n, "kind");
      namespaces.add(new Namespace(text(n, "fullPath"), Namespace.Kind.valueOf(kind.toUpperCase(Locale.ROOT))));
    }
    Destination.Builder b = Destination.builder()
        .id(DestinationId.of(text(in, "id")))
        .groupPath(text(in, "groupPath"))
        .name(text(in, "name"))
        .active(!in.has("active") || in.get("active").asBoolean(true))
        .verificationToken(Secret.of(text(secrets, "verificationToken")))
        .config(config)
        .eventTypeFilter(types)
        .namespaceFilter(namespaces)
        .createdAt(instant(in, "createdAt"))
        .updatedAt(in.hasNonNull("updatedAt") ? instant(in, "updatedAt") : null);
    // Absent in files written before pausing existed: those destinations are not paused.
    String pausedReason = optionalText(in, "pausedReason");
    if (pausedReason != null) {
      b.paused(pausedReason);
    }
    return b.build();
  }

  private static String text(JsonNode in, String field) {
    JsonNode n = in.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
    }
    return n.asText();
  }

  private static String optionalText(JsonNode in, String field) {
    return in.hasNonNull(field) ? text(in, field) : null;
  }

  private static Instant instant(JsonNode in, String field) {
    try {
      return Instant.parse(text(in, field));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field '" + field + "' is not an ISO-8601 instant");
    }
  }
}
