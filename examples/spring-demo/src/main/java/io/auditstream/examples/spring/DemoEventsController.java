package io.auditstream.examples.spring;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.core.AuditStreamer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /demo/events?count=N}: streams N sample audit events of the group {@code acme}, spread over
 * its subgroup and projects, as the host's own code would when its users act.
 */
@RestController
class DemoEventsController {
  /** The most events one request streams. */
  static final int MAX_COUNT = 10_000;

  private record Sample(String eventType, EntityType entityType, long entityId, String path) {}

  private static final List<Sample> SAMPLES = List.of(
      new Sample("project_created", EntityType.PROJECT, 101, "acme/platform/api"),
      new Sample("member_created", EntityType.GROUP, 11, "acme/platform"),
      new Sample("repository_git_operation", EntityType.PROJECT, 102, "acme/web"),
      new Sample("group_settings_updated", EntityType.GROUP, 10, "acme"));

  private final AuditStreamer streamer;

  DemoEventsController(AuditStreamer streamer) {
    this.streamer = streamer;
  }

  @PostMapping(path = "/demo/events", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> stream(@RequestParam(name = "count", defaultValue = "1") int count) {
    if (count < 1 || count > MAX_COUNT) {
      throw new ValidationException("count", "count must be 1 to " + MAX_COUNT + " (was " + count + ")");
    }
    List<String> ids = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < count; i++) {
      Sample sample = SAMPLES.get(i % SAMPLES.size());
      AuditEvent event = AuditEvent.builder().eventType(sample.eventType())
          .author(1L, "alice")
          .entity(sample.entityType(), sample.entityId(), sample.path())
          .ipAddress("203.0.113.7")
          .detail("custom_message", "demo event " + (i + 1) + " of " + count)
          .build();
      if (streamer.stream(event)) {
        ids.add(event.id());
      } else {
        refused++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("streamed", ids.size());
    out.put("refused", refused);
    out.put("firstEventIds", ids.subList(0, Math.min(5, ids.size())));
    return out;
  }

  @ExceptionHandler(ValidationException.class)
  ResponseEntity<ProblemDetail> invalid(ValidationException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
