package io.auditstream.benchmarks;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.core.AuditEventJson;

/**
 * The typical audit event every benchmark streams: a project event of a subgroup, about 600 bytes of
 * JSON once encoded (the size of a GitLab project event with a short message), with the moment it was
 * emitted in its details so that a receiver can measure emit-to-delivery latency.
 *
 * <p>Stateless; thread-safe.
 */
public final class TypicalEvent {
  /** The encoded size the padding aims at, in bytes. */
  public static final int TARGET_BYTES = 600;
  /** The detail that carries the emission time, in microseconds since the epoch. */
  public static final String EMITTED_AT_FIELD = "emitted_at_us";

  private static final String PADDING = calibratePadding();

  private TypicalEvent() {}

  /** The event of top-level group {@code group}, emitted at {@code emittedAtMicros}; built anew, with a fresh id. */
  public static AuditEvent create(String group, long emittedAtMicros) {
    return builder(group).detail(EMITTED_AT_FIELD, emittedAtMicros).build();
  }

  /** A builder holding everything but the emission time, so a benchmark can time {@code build()} alone. */
  public static AuditEvent.Builder builder(String group) {
    String path = group + "/platform/api";
    return AuditEvent.builder()
        .eventType("project_created")
        .author(1L, "Alice Example")
        .entity(EntityType.PROJECT, 42L, path)
        .target(42L, "Project", path)
        .ipAddress("203.0.113.7")
        .customMessage(PADDING);
  }

  /** A new event of {@code group}, emitted now, encoded: what a raw client posts for each request. */
  public static byte[] encoded(String group) {
    return AuditEventJson.encode(create(group, nowMicros()));
  }

  /** Wall-clock microseconds since the epoch; comparable between JVMs of one machine. */
  public static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static String calibratePadding() {
    StringBuilder message = new StringBuilder("Created project api");
    AuditEvent probe = AuditEvent.builder().eventType("project_created").author(1L, "Alice Example")
        .entity(EntityType.PROJECT, 42L, "acme/platform/api").target(42L, "Project", "acme/platform/api")
        .ipAddress("203.0.113.7").customMessage(message.toString()).detail(EMITTED_AT_FIELD, nowMicros()).build();
    int missing = TARGET_BYTES - AuditEventJson.encode(probe).length;
    for (int i = 0; i < missing; i++) {
      message.append(i % 10 == 0 ? ' ' : 'x');
    }
    return message.toString();
  }
}
