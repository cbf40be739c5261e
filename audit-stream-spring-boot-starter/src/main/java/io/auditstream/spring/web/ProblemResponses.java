package io.auditstream.spring.web;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.ConflictException;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.NotFoundException;
import io.auditstream.api.ValidationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The management API's errors as RFC 9457 problem details ({@code application/problem+json}): {@code 400}
 * when a field breaks a rule (each violated field and its rule under {@code errors}) or the category's sink is
 * not on the application's classpath, {@code 403} when
 * the actor is not an Owner of the group, {@code 404} for a destination that does not exist or that the
 * actor may not see (the same answer), {@code 409} when a name or address is taken, {@code 503} while the
 * streamer is closed. Messages come from the library, which never puts a secret in one. Applies to {@link
 * DestinationsController} only, never to the host's other controllers.
 */
@RestControllerAdvice(assignableTypes = DestinationsController.class)
public class ProblemResponses {
  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
  private static final String TYPES = "urn:audit-stream:problem:";

  /** A field broke a rule. */
  @ExceptionHandler(ValidationException.class)
  public ResponseEntity<ProblemDetail> invalid(ValidationException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request", e.getMessage());
    p.setProperty("errors", e.violations().stream()
        .map(v -> Map.of("field", restField(v.field()), "message", v.message())).toList());
    return respond(p);
  }

  /** The library's field names, as the API's JSON names them. */
  private static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("destinationUrl", "config.url"),
      Map.entry("verificationToken", "secretToken"), Map.entry("privateKey", "secretToken"),
      Map.entry("secretAccessKey", "secretToken"), Map.entry("eventTypeFilter", "eventTypeFilters"),
      Map.entry("namespaceFilter", "namespaceFilters"));
  private static final java.util.Set<String> CONFIG_FIELDS = java.util.Set.of("contentType", "headers", "batching",
      "googleProjectIdName", "clientEmail", "logIdName", "endpoint", "tokenServerUri", "plaintext", "accessKeyXid",
      "bucketName", "awsRegion", "pathStyleAccess");

  /** {@code field} as the request's JSON names it: {@code destinationUrl} is {@code config.url}, and so on. */
  static String restField(String field) {
    String f = field.startsWith("config.") ? field.substring("config.".length()) : field;
    int end = 0;
    while (end < f.length() && Character.isLetterOrDigit(f.charAt(end))) {
      end++;
    }
    String head = f.substring(0, end);
    String rest = f.substring(end);
    if (FIELDS.containsKey(head)) {
      return FIELDS.get(head) + rest;
    }
    if (CONFIG_FIELDS.contains(head)) {
      return "config." + head + rest;
    }
    return field;
  }

  /** The request's body is not the JSON the resource takes. */
  @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class})
  public ResponseEntity<ProblemDetail> unreadable(Exception e) {
    // The parser's message may quote the body, which may hold a secret: say only what is wrong in general.
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
        "the request is not well-formed JSON of the shape this resource takes");
    p.setProperty("errors", List.of(Map.of("field", "body", "message", "malformed request body or parameter")));
    return respond(p);
  }

  /** The category is known, but the application cannot deliver to it: its sink is not on the classpath. */
  @ExceptionHandler(MissingSinkException.class)
  public ResponseEntity<ProblemDetail> missingSink(MissingSinkException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request", e.getMessage());
    p.setProperty("errors", List.of(Map.of("field", "category", "message", e.getMessage())));
    return respond(p);
  }

  /** Not an Owner of the top-level group. */
  @ExceptionHandler(AccessDeniedException.class)
  public ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
    return respond(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()));
  }

  /** No such destination, or not the actor's to see. */
  @ExceptionHandler(NotFoundException.class)
  public ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
    return respond(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()));
  }

  /** A name or address already taken in the group, or another conflict with what is saved. */
  @ExceptionHandler(ConflictException.class)
  public ResponseEntity<ProblemDetail> conflict(ConflictException e) {
    ProblemDetail p = problem(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage());
    p.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
    return respond(p);
  }

  /** The streamer is closed (the application is stopping). */
  @ExceptionHandler(IllegalStateException.class)
  public ResponseEntity<ProblemDetail> unavailable(IllegalStateException e) {
    log.debug("Management request while the streamer cannot serve it", e);
    return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Unavailable",
        "audit streaming is not available right now"));
  }

  private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPES + type));
    p.setTitle(title);
    return p;
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
