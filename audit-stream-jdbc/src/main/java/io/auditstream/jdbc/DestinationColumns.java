package io.auditstream.jdbc;

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
import io.auditstream.api.destination.UnavailableDestinationConfig;
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
 * One {@link Destination} as the columns of its row, every kind alike, through its own {@link
 * io.auditstream.api.destination.DestinationKind}: {@code kind} and {@code artifact} (what provides
 * it); {@code settings}, the config's plain settings as a JSON object; {@code secrets}, apart, the JSON
 * object {@code {"verificationToken": "...", "config": {name: value}}}, with {@code "signing": {"current":
 * "whsec_...", "previous": "whsec_..."}} when the destination signs ({@code previous} only during a
 * rotation), sealed as a whole by a {@link SecretsCipher} for the destination's id ({@code
 * v1:<keyId>:<base64>}, so that fields added inside it later are encrypted alike); {@code filters} as
 * {@code {"eventTypes": [...], "namespaces": [{"fullPath": ..., "kind": "group"|"project"}]}}; the
 * times as ISO-8601 instants; and {@code paused_reason}, null unless the destination is paused (as in
 * every row written before schema version 2). The JSON has the shape the core's file store writes, so
 * a destination reads the same from either. A destination whose kind is unknown when read is kept as
 * an {@link UnavailableDestinationConfig} and written back unchanged. Readers ignore fields they do
 * not know, so a later version may add some.
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
final class DestinationColumns {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  /**
   * The columns of one row.
   *
   * @param artifact null when not recorded
   * @param pausedReason null when the destination is not paused
   */
  record Row(String id, String groupPath, String name, String kind, String artifact, boolean active,
      String settings, String secrets, String filters, String createdAt, String updatedAt, String pausedReason) {}

  private final DestinationKinds kinds;
  private final SecretsCipher cipher;

  DestinationColumns(DestinationKinds kinds, SecretsCipher cipher) {
    this.kinds = kinds;
    this.cipher = cipher;
  }

  /** What seals and opens the {@code secrets} column. */
  SecretsCipher cipher() {
    return cipher;
  }

  Row write(Destination d) {
    DestinationConfig config = d.config();
    StoredConfig stored = DestinationConfigs.encode(config);
    // An unavailable kind's artifact as it was recorded, not the stand-in's wording of a missing one.
    String artifact = config instanceof UnavailableDestinationConfig u
        ? u.artifact().orElse(null)
        : config.destinationKind().artifact();
    ObjectNode secrets = MAPPER.createObjectNode();
    secrets.put("verificationToken", d.verificationToken().orElseThrow(() -> new IllegalArgumentException(
        "destination " + d.id() + " is a redacted copy, without its verification token: it cannot be saved")).reveal());
    ObjectNode configSecrets = secrets.putObject("config");
    stored.secrets().forEach((name, secret) -> configSecrets.put(name, secret.reveal()));
    List<Secret> signing = d.signing().secrets();
    if (!signing.isEmpty()) {
      ObjectNode keys = secrets.putObject("signing");
      keys.put("current", signing.get(0).reveal());
      if (signing.size() > 1) {
        keys.put("previous", signing.get(1).reveal());
      }
    }
    ObjectNode filters = MAPPER.createObjectNode();
    ArrayNode types = filters.putArray("eventTypes");
    d.eventTypeFilter().forEach(types::add);
    ArrayNode namespaces = filters.putArray("namespaces");
    for (Namespace ns : d.namespaceFilter()) {
      namespaces.addObject().put("fullPath", ns.fullPath()).put("kind", ns.kind().name().toLowerCase(Locale.ROOT));
    }
    return new Row(d.id().value(), d.groupPath(), d.name(), config.kind(), artifact, d.active(),
        json(MAPPER.valueToTree(stored.settings())), cipher.encrypt(d.id(), json(secrets)), json(filters),
        d.createdAt().toString(), d.updatedAt().toString(), d.pausedReason().orElse(null));
  }

  /**
   * Reads a row that {@link #write} wrote.
   *
   * @throws IllegalArgumentException naming the column or field that is missing or malformed (never its
   *     value), or naming the destination and the key id when its secrets cannot be decrypted (unknown
   *     key, altered, not encrypted)
   * @throws io.auditstream.api.ValidationException when a value breaks a destination rule
   */
  Destination read(Row row) {
    JsonNode settings = tree(row.settings(), "settings");
    JsonNode secrets = tree(cipher.decrypt(DestinationId.of(row.id()), row.secrets()), "secrets");
    JsonNode filters = tree(row.filters(), "filters");
    Map<String, Secret> configSecrets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : secrets.path("config").properties()) {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("secrets field 'config." + e.getKey() + "' is not a string");
      }
      configSecrets.put(e.getKey(), Secret.of(e.getValue().asText()));
    }
    StoredConfig stored = new StoredConfig(MAPPER.convertValue(settings, OBJECT), configSecrets);
    DestinationConfig config = kinds.decode(row.kind(), Optional.ofNullable(row.artifact()), stored);
    List<String> types = new ArrayList<>();
    for (JsonNode t : filters.path("eventTypes")) {
      types.add(t.asText());
    }
    List<Namespace> namespaces = new ArrayList<>();
    for (JsonNode n : filters.path("namespaces")) {
      namespaces.add(new Namespace(text(n, "fullPath", "filters"),
          Namespace.Kind.valueOf(text(n, "kind", "filters").toUpperCase(Locale.ROOT))));
    }
    JsonNode token = secrets.get("verificationToken");
    if (token == null || !token.isTextual()) {
      throw new IllegalArgumentException("secrets field 'verificationToken' is missing or not a string");
    }
    Destination.Builder b = Destination.builder()
        .id(DestinationId.of(row.id()))
        .groupPath(row.groupPath())
        .name(row.name())
        .active(row.active())
        .verificationToken(Secret.of(token.asText()))
        .config(config)
        .eventTypeFilter(types)
        .namespaceFilter(namespaces)
        .createdAt(instant(row.createdAt(), "created_at"))
        .updatedAt(instant(row.updatedAt(), "updated_at"))
        .signing(signing(secrets));
    if (row.pausedReason() != null) {
      b.paused(row.pausedReason());
    }
    return b.build();
  }

  /**
   * The signing the secrets column holds: off when it has no {@code signing} (as in rows written before
   * it existed).
   */
  private static WebhookSigning signing(JsonNode secrets) {
    JsonNode node = secrets.get("signing");
    if (node == null || node.isNull()) {
      return WebhookSigning.off();
    }
    JsonNode current = node.path("current");
    JsonNode previous = node.path("previous");
    if (!current.isTextual() || !previous.isMissingNode() && !previous.isTextual()) {
      throw new IllegalArgumentException("secrets field 'signing' must hold 'current' and, during a rotation, "
          + "'previous' as strings");
    }
    return WebhookSigning.of(Secret.of(current.asText()), previous.isTextual() ? Secret.of(previous.asText()) : null);
  }

  private static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private static JsonNode tree(String json, String column) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // Only the location: the parser's message may quote the column, which may hold secrets.
      throw new IllegalArgumentException("column '" + column + "' is not valid JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("column '" + column + "' is not a JSON object");
    }
    return node;
  }

  private static String text(JsonNode in, String field, String column) {
    JsonNode n = in.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(column + " field '" + field + "' is missing or not a string");
    }
    return n.asText();
  }

  private static Instant instant(String text, String column) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("column '" + column + "' is not an ISO-8601 instant");
    }
  }
}
