package io.auditstream.spring.web;

import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.destination.StoredConfig;
import io.auditstream.api.destination.WriteOnlySecret;
import io.auditstream.api.spi.DeadLetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The REST API's JSON shapes, in the form of GitLab's consolidated streaming-destinations API: a
 * destination is {@code {name, category, config, secretToken, active}}, where {@code category} is GitLab's
 * name for the kind ({@code http}, {@code gcp}, {@code aws}) or a custom kind's own name, and {@code
 * config} holds the kind's settings under GitLab's field names. {@code secretToken} is write-only: the
 * HTTP verification token, the Cloud Logging private key or the S3 secret access key.
 *
 * <p>Stateless; thread-safe.
 */
final class DestinationJson {
  /** GitLab's category names for the library's kinds; other kinds go by their own name. */
  private static final Map<String, String> CATEGORY_TO_KIND = Map.of("http", HttpDestinationConfig.KIND, "gcp",
      GcpLoggingDestinationConfig.KIND, "aws", S3DestinationConfig.KIND);
  private static final Map<String, String> KIND_TO_CATEGORY = Map.of(HttpDestinationConfig.KIND, "http",
      GcpLoggingDestinationConfig.KIND, "gcp", S3DestinationConfig.KIND, "aws");

  private final DestinationKinds kinds;

  DestinationJson(DestinationKinds kinds) {
    this.kinds = kinds;
  }

  /** A destination as a request creates or changes it; every field may be absent (null). */
  record DestinationRequest(String name, String category, Map<String, Object> config, String secretToken,
      Boolean active, List<String> eventTypeFilters, List<NamespaceFilter> namespaceFilters) {}

  /** A destination as responses show it: never a secret. */
  record DestinationResponse(String id, String group, String name, String category, Map<String, Object> config,
      boolean active, boolean paused, String pausedReason, List<String> eventTypeFilters,
      List<NamespaceFilter> namespaceFilters, String createdAt, String updatedAt) {}

  /** A namespace filter: the full path of a group or project of the destination's group, and which it is. */
  record NamespaceFilter(String namespace, String type) {}

  /** An HTTP header: its value and whether it is sent. */
  record Header(String value, Boolean active) {}

  /** The library's kind for a category. */
  String kindOf(String category) {
    if (category == null || category.isBlank()) {
      throw new ValidationException("category", "category is required: http, gcp, aws or a custom kind's name");
    }
    String kind = CATEGORY_TO_KIND.getOrDefault(category, category);
    if (kinds.find(kind).isEmpty() || (!CATEGORY_TO_KIND.containsKey(category) && KIND_TO_CATEGORY.containsKey(kind))) {
      throw new ValidationException("category", "category must be http, gcp, aws or the name of a destination kind on"
          + " the classpath (was '" + io.auditstream.api.MessageText.shown(category) + "')");
    }
    return kind;
  }

  static String categoryOf(String kind) {
    return KIND_TO_CATEGORY.getOrDefault(kind, kind);
  }

  DestinationResponse response(Destination d) {
    return new DestinationResponse(d.id().value(), d.groupPath(), d.name(), categoryOf(d.kind()), config(d.config()),
        d.active() && !d.paused(), d.paused(), d.pausedReason().orElse(null), List.copyOf(d.eventTypeFilter()),
        d.namespaceFilter().stream().map(DestinationJson::filter).toList(), d.createdAt().toString(),
        d.updatedAt().toString());
  }

  static NamespaceFilter filter(Namespace n) {
    return new NamespaceFilter(n.fullPath(), n.kind().name().toLowerCase(Locale.ROOT));
  }

  /**
   * The event types a request lists, each present: a JSON {@code null} among them is the request's error,
   * refused under {@code field[i]}, not a server error.
   */
  static List<String> eventTypes(List<String> types, String field) {
    ValidationException.Collector v = ValidationException.collector();
    for (int i = 0; i < types.size(); i++) {
      v.check(types.get(i) != null, field + "[" + i + "]", field + "[" + i + "] must be an event type, not null");
    }
    v.throwIfAny();
    return types;
  }

  static List<Namespace> namespaces(List<NamespaceFilter> filters) {
    List<Namespace> out = new ArrayList<>();
    ValidationException.Collector v = ValidationException.collector();
    for (int i = 0; i < filters.size(); i++) {
      NamespaceFilter f = filters.get(i);
      String field = "namespaceFilters[" + i + "]";
      if (f == null || f.namespace() == null) {
        v.add(field + ".namespace", field + ".namespace is required");
        continue;
      }
      String type = f.type() == null ? "group" : f.type();
      if (!type.equals("group") && !type.equals("project")) {
        v.add(field + ".type", field + ".type must be group or project");
        continue;
      }
      try {
        out.add(type.equals("group") ? Namespace.group(f.namespace()) : Namespace.project(f.namespace()));
      } catch (ValidationException e) {
        v.addAll(field + ".", e);
      }
    }
    v.throwIfAny();
    return out;
  }

  /** The config's settings as responses show them: no secret (an HTTP header's value is the Owner's to read). */
  Map<String, Object> config(DestinationConfig config) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (config instanceof HttpDestinationConfig http) {
      out.put("url", http.destinationUrl());
      out.put("contentType", http.contentType());
      out.put("headers", headers(http));
      http.batching().ifPresent(b -> out.put("batching", Map.of("maxEvents", b.maxEvents(), "maxBytes", b.maxBytes(),
          "linger", b.linger().toString())));
    } else if (config instanceof GcpLoggingDestinationConfig gcp) {
      out.put("googleProjectIdName", gcp.googleProjectIdName());
      out.put("clientEmail", gcp.clientEmail());
      out.put("logIdName", gcp.logIdName());
    } else if (config instanceof S3DestinationConfig s3) {
      out.put("accessKeyXid", s3.accessKeyXid());
      out.put("bucketName", s3.bucketName());
      out.put("awsRegion", s3.awsRegion());
    } else {
      out.putAll(encode(config).settings());
    }
    return out;
  }

  static Map<String, Header> headers(HttpDestinationConfig http) {
    Map<String, Header> headers = new LinkedHashMap<>();
    for (HttpHeader h : http.headers()) {
      headers.put(h.key(), new Header(h.value(), h.active()));
    }
    return headers;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private StoredConfig encode(DestinationConfig config) {
    DestinationKind kind = config.destinationKind();
    return kind.encode(kind.redacted(config));
  }

  /**
   * The config a request gives for a destination of {@code kind}, laid over {@code current} (the stored
   * config, when the request changes one): settings the request leaves out are kept, and so are the
   * write-only secrets when {@code secretToken} is absent.
   */
  DestinationConfig config(String kind, Map<String, Object> json, String secretToken, Optional<DestinationConfig> current) {
    Map<String, Object> c = json == null ? Map.of() : json;
    switch (kind) {
      case HttpDestinationConfig.KIND -> {
        HttpDestinationConfig.Builder b = current.map(HttpDestinationConfig.class::cast)
            .map(HttpDestinationConfig::toBuilder).orElseGet(HttpDestinationConfig::builder);
        text(c, "url").ifPresent(b::destinationUrl);
        text(c, "contentType").ifPresent(b::contentType);
        if (c.containsKey("headers")) {
          b.headers(headerList(c.get("headers")));
        }
        return b.build();
      }
      case GcpLoggingDestinationConfig.KIND -> {
        GcpLoggingDestinationConfig.Builder b = current.map(GcpLoggingDestinationConfig.class::cast)
            .map(GcpLoggingDestinationConfig::toBuilder).orElseGet(GcpLoggingDestinationConfig::builder);
        text(c, "googleProjectIdName").ifPresent(b::googleProjectIdName);
        text(c, "clientEmail").ifPresent(b::clientEmail);
        text(c, "logIdName").ifPresent(b::logIdName);
        b.privateKey(secretToken == null ? WriteOnlySecret.absent() : WriteOnlySecret.of(secretToken));
        return b.build();
      }
      case S3DestinationConfig.KIND -> {
        S3DestinationConfig.Builder b = current.map(S3DestinationConfig.class::cast)
            .map(S3DestinationConfig::toBuilder).orElseGet(S3DestinationConfig::builder);
        text(c, "accessKeyXid").ifPresent(b::accessKeyXid);
        text(c, "bucketName").ifPresent(b::bucketName);
        text(c, "awsRegion").ifPresent(b::awsRegion);
        b.secretAccessKey(secretToken == null ? WriteOnlySecret.absent() : WriteOnlySecret.of(secretToken));
        return b.build();
      }
      default -> {
        return custom(kind, c, secretToken, current);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private DestinationConfig custom(String kindName, Map<String, Object> json, String secretToken,
      Optional<DestinationConfig> current) {
    DestinationKind kind = kinds.find(kindName).orElseThrow();
    Map<String, Object> settings = new LinkedHashMap<>();
    current.ifPresent(cur -> settings.putAll(encode(cur).settings()));
    settings.putAll(json);
    Map<String, Secret> secrets = new LinkedHashMap<>();
    if (secretToken != null) {
      // A kind's write-only secret is known by name only once a config exists: read one without it first.
      Map<String, WriteOnlySecret> names = kind.writeOnlySecrets(decode(kind, settings, Map.of(), Set.of()));
      if (names.size() != 1) {
        throw new ValidationException("secretToken", "secretToken is not taken by a destination of category '"
            + kindName + "'");
      }
      secrets.put(names.keySet().iterator().next(), Secret.of(secretToken));
    }
    return decode(kind, settings, secrets, secrets.keySet());
  }

  @SuppressWarnings("rawtypes")
  private static DestinationConfig decode(DestinationKind kind, Map<String, Object> settings, Map<String, Secret> secrets,
      Set<String> secretNames) {
    try {
      return kind.decode(new StoredConfig(settings, secrets));
    } catch (ValidationException e) {
      throw underConfig(e, secretNames);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("config", e.getMessage());
    }
  }

  /**
   * {@code e}, raised while saving a destination of {@code kind} with {@code config}, with its fields named
   * as the request names them. A built-in kind's are renamed by {@link ProblemResponses}; a custom kind's
   * provider checks its config again when it is saved, naming its own settings, which go under {@code
   * config.} here as they do when the request's config is read.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  ValidationException asRequestNamed(String kind, DestinationConfig config, ValidationException e) {
    if (BUILT_IN.contains(kind)) {
      return e;
    }
    Optional<DestinationKind<?>> custom = kinds.find(kind);
    if (custom.isEmpty()) {
      return e;
    }
    DestinationKind raw = custom.get();
    Set<String> secretNames = raw.writeOnlySecrets(config).keySet();
    return underConfig(e, secretNames);
  }

  private static final Set<String> BUILT_IN =
      Set.of(HttpDestinationConfig.KIND, GcpLoggingDestinationConfig.KIND, S3DestinationConfig.KIND);

  /** The fields that are a destination's own, not its config's. */
  private static final Set<String> DESTINATION_FIELDS = Set.of("name", "category", "kind", "active", "secretToken",
      "verificationToken", "eventTypeFilter", "eventTypeFilters", "namespaceFilter", "namespaceFilters", "config");

  /**
   * {@code e} with a custom kind's fields named as the request names them: its settings under {@code
   * config.}, its write-only secret as {@code secretToken}.
   */
  static ValidationException underConfig(ValidationException e, Set<String> secretNames) {
    return new ValidationException(e.violations().stream().map(v -> {
      String head = v.field().split("[.\\[]", 2)[0];
      String field = secretNames.contains(head) ? "secretToken"
          : DESTINATION_FIELDS.contains(head) ? v.field() : "config." + v.field();
      return new ValidationException.Violation(field, v.message());
    }).toList());
  }

  private static Optional<String> text(Map<String, Object> json, String field) {
    Object v = json.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new ValidationException("config." + field, "config." + field + " must be a string");
    }
    return Optional.of(s);
  }

  private static List<HttpHeader> headerList(Object json) {
    if (!(json instanceof Map<?, ?> map)) {
      throw new ValidationException("config.headers", "config.headers must be an object of {\"Key\": {\"value\":"
          + " \"...\", \"active\": true}}");
    }
    List<HttpHeader> out = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof Map<?, ?> h) || !(h.get("value") instanceof String value)) {
        throw new ValidationException("config.headers", "config.headers entries must be {\"value\": \"...\","
            + " \"active\": true}");
      }
      Object active = h.get("active");
      out.add(header(key, value, active == null || Boolean.TRUE.equals(active)));
    }
    return out;
  }

  /** A header, its rules checked by {@link HttpHeader} under the REST field names. */
  static HttpHeader header(String key, String value, boolean active) {
    try {
      return new HttpHeader(key, value, active);
    } catch (ValidationException e) {
      throw new ValidationException(e.violations().stream()
          .map(x -> new ValidationException.Violation("config.headers." + x.field(), x.message())).toList());
    }
  }

  /** A dead letter as the API lists it: its event's id and type, and why it was given up on. */
  record DeadLetterResponse(String eventId, String eventType, String enqueuedAt, int attempts, String deadAt,
      String reason) {
    static DeadLetterResponse of(DeadLetter d) {
      return new DeadLetterResponse(d.eventId(), d.event().event().eventType(), d.enqueuedAt().toString(),
          d.attempts(), d.deadAt().toString(), d.reason());
    }
  }
}
