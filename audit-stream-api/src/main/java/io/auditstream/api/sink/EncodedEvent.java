package io.auditstream.api.sink;

import io.auditstream.api.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event together with its JSON payload, encoded once by the engine and shared by every
 * destination. Sinks send {@link #json()} as it is, so every destination and every retry sees the
 * same bytes.
 *
 * @param event the event
 * @param json the UTF-8 JSON object; callers must not modify the array
 */
public record EncodedEvent(AuditEvent event, byte[] json) {
  /**
   * Creates the pair; the array is kept, not copied.
   *
   * @throws NullPointerException when {@code event} or {@code json} is null
   */
  public EncodedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(json, "json");
  }

  /** The payload as a string. */
  public String jsonString() {
    return new String(json, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedEvent e && event.equals(e.event) && java.util.Arrays.equals(json, e.json);
  }

  @Override
  public int hashCode() {
    return event.hashCode();
  }

  @Override
  public String toString() {
    return "EncodedEvent{" + event + ", " + json.length + " bytes}";
  }
}
