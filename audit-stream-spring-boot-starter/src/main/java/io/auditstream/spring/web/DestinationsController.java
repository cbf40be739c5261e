package io.auditstream.spring.web;

import io.auditstream.api.Actor;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.core.DestinationService;
import io.auditstream.spring.web.DestinationJson.DeadLetterResponse;
import io.auditstream.spring.web.DestinationJson.DestinationRequest;
import io.auditstream.spring.web.DestinationJson.DestinationResponse;
import io.auditstream.spring.web.DestinationJson.Header;
import io.auditstream.spring.web.DestinationJson.NamespaceFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The destinations management REST API, under {@code /audit-stream}, in the shape of GitLab's
 * consolidated streaming-destinations API (see {@link DestinationJson}). Every call is made as the
 * {@link ActorResolver}'s actor, and the library's {@code AccessPolicy} decides: only an Owner of the
 * destination's top-level group gets an answer. Errors are {@code application/problem+json} ({@link
 * ProblemResponses}).
 *
 * <p>{@code active} is GitLab's switch: {@code PATCH {"active": false}} pauses a destination (its events
 * wait in its backlog, within its bounds) and {@code true} resumes it, so switching a destination off
 * for a while loses nothing. Thread-safe, as the {@link DestinationService} is.
 */
@RestController
@RequestMapping(path = "/audit-stream", produces = MediaType.APPLICATION_JSON_VALUE)
public class DestinationsController {
  /** The reason saved with a destination paused through the API. */
  static final String PAUSED_REASON = "paused by an Owner (active set to false)";

  private final DestinationService destinations;
  private final ActorResolver actors;
  private final DestinationJson json;

  DestinationsController(DestinationService destinations, ActorResolver actors, DestinationJson json) {
    this.destinations = destinations;
    this.actors = actors;
    this.json = json;
  }

  private Actor actor(HttpServletRequest request) {
    Actor actor = actors.resolve(request);
    return actor == null ? Actor.anonymous() : actor;
  }

  /** The destinations of a top-level group. */
  @GetMapping("/groups/{group}/destinations")
  public List<DestinationResponse> list(@PathVariable("group") String group, HttpServletRequest request) {
    return destinations.list(actor(request), group).stream().map(json::response).toList();
  }

  /** Creates a destination; 201 with it, and its address in {@code Location}. */
  @PostMapping(path = "/groups/{group}/destinations", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<DestinationResponse> create(@PathVariable("group") String group, @RequestBody DestinationRequest body,
      HttpServletRequest request) {
    Actor actor = actor(request);
    String kind = json.kindOf(body.category());
    DestinationConfig config = json.config(kind, body.config(), body.secretToken(), Optional.empty());
    DestinationDraft.Builder draft = DestinationDraft.builder(config);
    if (body.name() != null) {
      draft.name(body.name());
    }
    if (kind.equals(HttpDestinationConfig.KIND) && body.secretToken() != null) {
      draft.verificationToken(body.secretToken());
    }
    if (body.active() != null) {
      draft.active(body.active());
    }
    if (body.eventTypeFilters() != null) {
      draft.eventTypeFilter(DestinationJson.eventTypes(body.eventTypeFilters(), "eventTypeFilters"));
    }
    if (body.namespaceFilters() != null) {
      draft.namespaceFilter(DestinationJson.namespaces(body.namespaceFilters()));
    }
    Destination created;
    try {
      created = destinations.create(actor, group, draft.build());
    } catch (ValidationException e) {
      throw json.asRequestNamed(kind, config, e);
    }
    return ResponseEntity.created(URI.create("/audit-stream/destinations/" + created.id().value()))
        .body(json.response(created.redacted()));
  }

  /** One destination. */
  @GetMapping("/destinations/{id}")
  public DestinationResponse get(@PathVariable("id") String id, HttpServletRequest request) {
    return json.response(destinations.get(actor(request), DestinationId.of(id)));
  }

  /**
   * Changes what the request names: {@code name}, {@code config} (merged into the stored one), {@code
   * secretToken} (the cloud kinds' credential; an HTTP verification token can never change), {@code
   * active} (pause or resume), the filters. Everything it leaves out stays as it was.
   */
  @PatchMapping(path = "/destinations/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public DestinationResponse update(@PathVariable("id") String id, @RequestBody DestinationRequest body,
      HttpServletRequest request) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    Destination current = destinations.get(actor, did);
    if (body.category() != null && !DestinationJson.categoryOf(current.kind()).equals(body.category())) {
      throw new ValidationException("category", "category cannot change: create a new destination instead");
    }
    if (current.kind().equals(HttpDestinationConfig.KIND) && body.secretToken() != null) {
      throw new ValidationException("secretToken", "an HTTP destination's verification token can never change:"
          + " create a new destination instead");
    }
    DestinationUpdate.Builder update = DestinationUpdate.builder();
    boolean changes = false;
    if (body.name() != null) {
      update.name(body.name());
      changes = true;
    }
    if (body.config() != null || body.secretToken() != null) {
      update.config(json.config(current.kind(), body.config(), body.secretToken(), Optional.of(current.config())));
      changes = true;
    }
    if (Boolean.TRUE.equals(body.active()) && !current.active()) {
      update.active(true);
      changes = true;
    }
    Destination d;
    try {
      d = changes ? destinations.update(actor, did, update.build()) : current;
    } catch (ValidationException e) {
      throw json.asRequestNamed(current.kind(), current.config(), e);
    }
    if (body.eventTypeFilters() != null) {
      d = body.eventTypeFilters().isEmpty() ? destinations.clearEventTypeFilter(actor, did)
          : destinations.setEventTypeFilter(actor, did,
              new LinkedHashSet<>(DestinationJson.eventTypes(body.eventTypeFilters(), "eventTypeFilters")));
    }
    if (body.namespaceFilters() != null) {
      d = body.namespaceFilters().isEmpty() ? destinations.clearNamespaceFilter(actor, did)
          : destinations.setNamespaceFilter(actor, did,
              new LinkedHashSet<>(DestinationJson.namespaces(body.namespaceFilters())));
    }
    if (Boolean.FALSE.equals(body.active()) && !d.paused()) {
      d = destinations.pause(actor, did, PAUSED_REASON);
    } else if (Boolean.TRUE.equals(body.active()) && d.paused()) {
      d = destinations.resume(actor, did);
    }
    return json.response(d.redacted());
  }

  /** Deletes a destination; what it had pending is not delivered. */
  @DeleteMapping("/destinations/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable("id") String id, HttpServletRequest request) {
    destinations.delete(actor(request), DestinationId.of(id));
  }

  /** The event types the destination receives; empty: all. */
  @GetMapping("/destinations/{id}/event-type-filters")
  public List<String> eventTypeFilters(@PathVariable("id") String id, HttpServletRequest request) {
    return List.copyOf(destinations.get(actor(request), DestinationId.of(id)).eventTypeFilter());
  }

  /** Replaces the event-type filter with the types listed (an empty list removes it). */
  @PutMapping(path = "/destinations/{id}/event-type-filters", consumes = MediaType.APPLICATION_JSON_VALUE)
  public List<String> setEventTypeFilters(@PathVariable("id") String id, @RequestBody List<String> types,
      HttpServletRequest request) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    Destination d = types.isEmpty() ? destinations.clearEventTypeFilter(actor, did)
        : destinations.setEventTypeFilter(actor, did, new LinkedHashSet<>(DestinationJson.eventTypes(types, "body")));
    return List.copyOf(d.eventTypeFilter());
  }

  /** Removes the event-type filter: the destination receives every type again. */
  @DeleteMapping("/destinations/{id}/event-type-filters")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void clearEventTypeFilters(@PathVariable("id") String id, HttpServletRequest request) {
    destinations.clearEventTypeFilter(actor(request), DestinationId.of(id));
  }

  /** The groups and projects the destination receives events of; empty: its whole group. */
  @GetMapping("/destinations/{id}/namespace-filters")
  public List<NamespaceFilter> namespaceFilters(@PathVariable("id") String id, HttpServletRequest request) {
    return destinations.get(actor(request), DestinationId.of(id)).namespaceFilter().stream()
        .map(DestinationJson::filter).toList();
  }

  /** Replaces the namespace filter (an empty list removes it). */
  @PutMapping(path = "/destinations/{id}/namespace-filters", consumes = MediaType.APPLICATION_JSON_VALUE)
  public List<NamespaceFilter> setNamespaceFilters(@PathVariable("id") String id, @RequestBody List<NamespaceFilter> filters,
      HttpServletRequest request) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    Destination d = filters.isEmpty() ? destinations.clearNamespaceFilter(actor, did)
        : destinations.setNamespaceFilter(actor, did, new LinkedHashSet<>(DestinationJson.namespaces(filters)));
    return d.namespaceFilter().stream().map(DestinationJson::filter).toList();
  }

  /** Removes the namespace filter: the destination receives its whole group's events again. */
  @DeleteMapping("/destinations/{id}/namespace-filters")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void clearNamespaceFilters(@PathVariable("id") String id, HttpServletRequest request) {
    destinations.clearNamespaceFilter(actor(request), DestinationId.of(id));
  }

  /** An HTTP destination's custom headers, by key. */
  @GetMapping("/destinations/{id}/headers")
  public Map<String, Header> headers(@PathVariable("id") String id, HttpServletRequest request) {
    return DestinationJson.headers(http(destinations.get(actor(request), DestinationId.of(id))));
  }

  /** Adds a custom header, or replaces the one with that key (whatever its case). */
  @PutMapping(path = "/destinations/{id}/headers/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Header> putHeader(@PathVariable("id") String id, @PathVariable("key") String key, @RequestBody Header header,
      HttpServletRequest request) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    http(destinations.get(actor, did));
    if (header.value() == null) {
      throw new ValidationException("value", "value is required");
    }
    HttpHeader h = DestinationJson.header(key, header.value(), header.active() == null || header.active());
    Destination d = destinations.updateConfig(actor, did, HttpDestinationConfig.class,
        c -> c.header(key).isPresent() ? c.toBuilder().replaceHeader(key, h).build() : c.toBuilder().header(h).build());
    return DestinationJson.headers((HttpDestinationConfig) d.config());
  }

  /** Removes a custom header. */
  @DeleteMapping("/destinations/{id}/headers/{key}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void deleteHeader(@PathVariable("id") String id, @PathVariable("key") String key, HttpServletRequest request) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    if (http(destinations.get(actor, did)).header(key).isEmpty()) {
      throw new io.auditstream.api.NotFoundException("destination " + id + " has no header '"
          + io.auditstream.api.MessageText.shown(key) + "'");
    }
    destinations.updateConfig(actor, did, HttpDestinationConfig.class, c -> c.toBuilder().removeHeader(key).build());
  }

  /** An HTTP destination's verification token: the one place an Owner reads it. */
  @GetMapping("/destinations/{id}/verification-token")
  public Map<String, String> verificationToken(@PathVariable("id") String id, HttpServletRequest request) {
    return Map.of("verificationToken", destinations.verificationToken(actor(request), DestinationId.of(id)).reveal());
  }

  /** The destination's delivery health. */
  @GetMapping("/destinations/{id}/status")
  public Map<String, Object> status(@PathVariable("id") String id, HttpServletRequest request) {
    DestinationStatus s = destinations.status(actor(request), DestinationId.of(id));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pending", s.pending());
    out.put("delivered", s.delivered());
    out.put("deadLetters", s.deadLetters());
    out.put("failed", s.failed());
    out.put("dropped", s.dropped());
    out.put("consecutiveFailures", s.consecutiveFailures());
    out.put("lastSuccessAt", s.lastSuccessAt().map(Instant::toString).orElse(null));
    out.put("lastFailureAt", s.lastFailureAt().map(Instant::toString).orElse(null));
    out.put("lastError", s.lastError().orElse(null));
    out.put("paused", s.paused());
    out.put("pausedReason", s.pausedReason().orElse(null));
    return out;
  }

  /** A signing secret a request gives; absent (or no body), the library makes a new one. */
  record SigningRequest(String signingSecret) {}

  /** Whether the destination signs its requests, and whether a rotation is under way; never a secret. */
  @GetMapping("/destinations/{id}/signing")
  public Map<String, Object> signing(@PathVariable("id") String id, HttpServletRequest request) {
    return signingState(destinations.get(actor(request), DestinationId.of(id)), null);
  }

  /**
   * Signs the destination's requests as the Standard Webhooks specification describes. With {@code
   * signingSecret} that secret (replacing a current one); without, a new one, answered as {@code
   * signingSecret} in this response alone: the only time a secret is ever in a response, since the receiver's
   * operators need it once and the library never shows it again.
   */
  @PostMapping("/destinations/{id}/signing")
  public Map<String, Object> enableSigning(@PathVariable("id") String id,
      @RequestBody(required = false) SigningRequest body, HttpServletRequest request) {
    return withSecret(id, body, request, destinations::enableSigning, destinations::enableSigning);
  }

  /**
   * Starts a rotation: the new secret (given, or made and answered once as for {@link #enableSigning}) signs
   * beside the current one, both signatures on every request, until the rotation ends.
   */
  @PostMapping("/destinations/{id}/signing/rotation")
  public Map<String, Object> rotateSigningSecret(@PathVariable("id") String id,
      @RequestBody(required = false) SigningRequest body, HttpServletRequest request) {
    return withSecret(id, body, request, destinations::rotateSigningSecret, destinations::rotateSigningSecret);
  }

  /** A signing change that takes the secret the request gives, or makes one when it gives none. */
  private interface GivenSecret {
    Destination apply(Actor actor, DestinationId id, Secret secret);
  }

  /** A signing change that makes its secret and returns it. */
  private interface MadeSecret {
    Secret apply(Actor actor, DestinationId id);
  }

  private Map<String, Object> withSecret(String id, SigningRequest body, HttpServletRequest request,
      GivenSecret given, MadeSecret made) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    if (body != null && body.signingSecret() != null) {
      return signingState(given.apply(actor, did, Secret.of(body.signingSecret())), null);
    }
    Secret secret = made.apply(actor, did);
    return signingState(destinations.get(actor, did), secret);
  }

  /** Ends a rotation: the previous secret no longer signs. */
  @DeleteMapping("/destinations/{id}/signing/rotation")
  public Map<String, Object> endSigningRotation(@PathVariable("id") String id, HttpServletRequest request) {
    return signingState(destinations.endSigningRotation(actor(request), DestinationId.of(id)), null);
  }

  /** Turns signing off and forgets the secrets. */
  @DeleteMapping("/destinations/{id}/signing")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void disableSigning(@PathVariable("id") String id, HttpServletRequest request) {
    destinations.disableSigning(actor(request), DestinationId.of(id));
  }

  private static Map<String, Object> signingState(Destination d, Secret made) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enabled", d.signing().enabled());
    out.put("rotating", d.signing().rotating());
    if (made != null) {
      out.put("signingSecret", made.reveal());
    }
    return out;
  }

  /** Queues a test event for the destination alone; 202 with its id. */
  @PostMapping("/destinations/{id}/test-event")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Map<String, String> testEvent(@PathVariable("id") String id, HttpServletRequest request) {
    return Map.of("eventId", destinations.sendTestEvent(actor(request), DestinationId.of(id)));
  }

  /** The destination's dead letters, oldest first, at most {@code limit}. */
  @GetMapping("/destinations/{id}/dead-letters")
  public List<DeadLetterResponse> deadLetters(@PathVariable("id") String id,
      @RequestParam(name = "limit", defaultValue = "100") int limit, HttpServletRequest request) {
    return destinations.deadLetters(actor(request), DestinationId.of(id), limit).stream()
        .map(DeadLetterResponse::of).toList();
  }

  /** What to redeliver: the dead letters of these event ids, or those given up on since an instant. */
  record Redelivery(List<String> eventIds, String since) {}

  /** Queues dead letters for delivery again; answers how many. */
  @PostMapping(path = "/destinations/{id}/dead-letters/redeliver", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Integer> redeliver(@PathVariable("id") String id, @RequestBody Redelivery body,
      HttpServletRequest request) {
    Actor actor = actor(request);
    DestinationId did = DestinationId.of(id);
    if ((body.eventIds() == null) == (body.since() == null)) {
      throw new ValidationException("eventIds", "give either eventIds or since");
    }
    int n;
    if (body.eventIds() != null) {
      n = destinations.redeliver(actor, did, body.eventIds());
    } else {
      Instant since;
      try {
        since = Instant.parse(body.since());
      } catch (DateTimeParseException e) {
        throw new ValidationException("since", "since must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
      }
      n = destinations.redeliverSince(actor, did, since);
    }
    return Map.of("redelivered", n);
  }

  private static HttpDestinationConfig http(Destination d) {
    if (d.config() instanceof HttpDestinationConfig c) {
      return c;
    }
    throw new ValidationException("category", "only an http destination has headers (this one is "
        + DestinationJson.categoryOf(d.kind()) + ")");
  }
}
