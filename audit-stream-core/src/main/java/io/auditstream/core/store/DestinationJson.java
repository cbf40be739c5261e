package io.auditstream.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.core.secrets.SecretsCipher;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shape of one stored {@link Destination}. Every kind is written alike, by its own {@link
 * io.auditstream.api.destination.DestinationKind}: {@code kind} and {@code artifact} (what provides
 * it), {@code config} (its plain settings) and, apart under {@code secrets}, the verification token,
 * the config's secrets and, when it signs, its signing secrets under {@code signing}, as one JSON object
 * {@code {"verificationToken": ..., "config": {name: value}, "signing": {...}}}, sealed as a whole by a
 * {@link SecretsCipher} for the destination's id (so fields added inside it later are encrypted alike);
 * {@code pausedReason} only when it is paused. A
 * destination whose kind is unknown when read is kept as an {@link
 * io.auditstream.api.destination.UnavailableDestinationConfig} and written back unchanged. Readers
 * ignore fields they do not know, so a later version may add fields. Thread-safe.
 */
final class DestinationJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final DestinationKinds kinds;
  private final SecretsCipher cipher;

  DestinationJson(DestinationKinds kinds, SecretsCipher cipher) {
    this.kinds = kinds;
    this.cipher = cipher;
  }

  /** The cipher that seals each destination's secrets. */
  SecretsCipher cipher() {
    return cipher;
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
    ObjectNode secrets = MAPPER.createObjectNode();
    secrets.put("verificationToken", d.verificationToken().orElseThrow(() -> new IllegalArgumentException(
        "destination " + d.id() + " is a redacted copy, without its verification token: it cannot be saved")).reveal());
    ObjectNode configSecrets = secrets.putObject("config");
    stored.secrets().forEach((name, secret) -> configSecrets.put(name, secret.reveal()));
    writeSigning(secrets, d.signing());
    try {
      out.put("secrets", cipher.encrypt(d.id(), MAPPER.writeValueAsString(secrets)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
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
   * Reads a destination that {@link #write} wrote, or, with {@code plainSecrets}, one of a file of format
   * version 2, whose {@code secrets} are a plain JSON object.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed (never its value), or
   *     naming the destination and the key id when its secrets cannot be decrypted
   * @throws io.auditstream.api.ValidationException when a value breaks a destination rule
   */
  Destination read(JsonNode in, boolean plainSecrets) {
    if (!in.isObject()) {
      throw new IllegalArgumentException("a destination must be a JSON object");
    }
    JsonNode configNode = in.get("config");
    if (configNode == null || !configNode.isObject()) {
      throw new IllegalArgumentException("field 'config' is missing or not an object");
    }
    JsonNode secrets = plainSecrets ? in.path("secrets") : open(DestinationId.of(text(in, "id")), in);
    Map<String, Secret> configSecrets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : secrets.path("config").properties()) {
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
        .updatedAt(in.hasNonNull("updatedAt") ? instant(in, "updatedAt") : null)
        .signing(readSigning(secrets));
    // Absent in files written before pausing existed: those destinations are not paused.
    String pausedReason = optionalText(in, "pausedReason");
    if (pausedReason != null) {
      b.paused(pausedReason);
    }
    return b.build();
  }

  private JsonNode open(DestinationId id, JsonNode in) {
    String plain = cipher.decrypt(id, text(in, "secrets"));
    try {
      JsonNode node = MAPPER.readTree(plain);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // Not e's message: it may quote a secret.
    }
    throw new IllegalArgumentException("the decrypted secrets of destination " + id.value() + " are not a JSON object");
  }

  /**
   * Writes {@code signing} inside {@code secrets}: {@code "signing": {"current": "whsec_...", "previous":
   * "whsec_..."}}, {@code previous} only during a rotation; nothing when signing is off.
   */
  static void writeSigning(ObjectNode secrets, WebhookSigning signing) {
    List<Secret> keys = signing.secrets();
    if (keys.isEmpty()) {
      return;
    }
    ObjectNode node = secrets.putObject("signing");
    node.put("current", keys.get(0).reveal());
    if (keys.size() > 1) {
      node.put("previous", keys.get(1).reveal());
    }
  }

  /**
   * Reads what {@link #writeSigning} wrote: off when absent (as in everything written before signing
   * existed).
   *
   * @throws IllegalArgumentException naming the field that is malformed (never its value)
   * @throws io.auditstream.api.ValidationException when a stored secret breaks the rule
   */
  static WebhookSigning readSigning(JsonNode secrets) {
    JsonNode node = secrets.get("signing");
    if (node == null || node.isNull()) {
      return WebhookSigning.off();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("field 'secrets.signing' is not an object");
    }
    JsonNode current = node.get("current");
    JsonNode previous = node.path("previous");
    if (current == null || !current.isTextual() || !previous.isMissingNode() && !previous.isTextual()) {
      throw new IllegalArgumentException("field 'secrets.signing' must hold 'current' and, during a rotation, "
          + "'previous' as strings");
    }
    return WebhookSigning.of(Secret.of(current.asText()), previous.isTextual() ? Secret.of(previous.asText()) : null);
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
