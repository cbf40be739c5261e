package io.auditstream.sink.s3;

import io.auditstream.api.AuditEvent;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;

/**
 * The object key an event is written under in an S3 destination's bucket, as GitLab names them:
 * {@code <entity type lowercased>/<YYYY>/<MM>/<event_type>_<id>_<epoch millis>.json}, year and month
 * in UTC, all taken from the event's {@code created_at}. For example
 * {@code project/2026/11/project_created_5f0c8a4e-3d4b-4a59-9b8e-2f1d7c9a6b10_1764099000123.json}.
 *
 * <p>The key depends on the event alone, never on the attempt, so a retried event overwrites its
 * own object instead of adding a second one. Stateless and thread-safe.
 */
public final class S3ObjectKeys {
  private S3ObjectKeys() {}

  /**
   * The key of {@code event}'s object.
   *
   * @throws NullPointerException when {@code event} is null
   */
  public static String keyOf(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    ZonedDateTime utc = event.createdAt().atZone(ZoneOffset.UTC);
    return event.entityType().jsonName().toLowerCase(Locale.ROOT)
        + "/" + String.format(Locale.ROOT, "%04d/%02d", utc.getYear(), utc.getMonthValue())
        + "/" + event.eventType() + "_" + event.id() + "_" + event.createdAt().toEpochMilli() + ".json";
  }
}
