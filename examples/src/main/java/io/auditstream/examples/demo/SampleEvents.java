package io.auditstream.examples.demo;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.util.ArrayList;
import java.util.List;

/**
 * Sample audit events of the demo's group {@value #GROUP}: about the group itself, its subgroup
 * {@value #SUBGROUP}, and the projects {@value #API_PROJECT} and {@value #WEB_PROJECT}. The types
 * come from GitLab's catalog.
 */
final class SampleEvents {
  static final String GROUP = "acme";
  static final String SUBGROUP = "acme/platform";
  static final String API_PROJECT = "acme/platform/api";
  static final String WEB_PROJECT = "acme/web";

  private record Template(String type, EntityType entityType, long entityId, String path, String message) {}

  private static final List<Template> TEMPLATES = List.of(
      new Template("group_created", EntityType.GROUP, 100, GROUP, "Created group acme"),
      new Template("member_created", EntityType.GROUP, 101, SUBGROUP, "Added bob as Developer"),
      new Template("project_created", EntityType.PROJECT, 200, API_PROJECT, "Created project api"),
      new Template("merge_request_merged", EntityType.PROJECT, 201, WEB_PROJECT, "Merged !42"),
      new Template("feature_flag_created", EntityType.PROJECT, 200, API_PROJECT, "Created flag new-billing"),
      new Template("group_export_created", EntityType.GROUP, 101, SUBGROUP, "Exported group platform"),
      new Template("member_created", EntityType.PROJECT, 201, WEB_PROJECT, "Added carol as Maintainer"));

  private SampleEvents() {}

  /** {@code count} events, cycling through the templates. */
  static List<AuditEvent> generate(int count) {
    List<AuditEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Template t = TEMPLATES.get(i % TEMPLATES.size());
      events.add(AuditEvent.builder()
          .eventType(t.type())
          .author(1L, "Alice Owner")
          .entity(t.entityType(), t.entityId(), t.path())
          .target(t.entityId(), t.entityType().jsonName(), t.path())
          .ipAddress("192.0.2.10")
          .customMessage(t.message())
          .detail("sequence", i + 1)
          .build());
    }
    return events;
  }
}
