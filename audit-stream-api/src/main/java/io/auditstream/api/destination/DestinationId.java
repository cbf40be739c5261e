package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import java.util.UUID;

/**
 * The identifier of a streaming destination, assigned when it is created and never changed.
 *
 * @param value an opaque non-blank string (a UUID for destinations audit-stream creates)
 */
public record DestinationId(String value) {
  /**
   * Creates the id after checking it.
   *
   * @throws ValidationException when {@code value} is null, blank or longer than 64 characters
   */
  public DestinationId {
    if (value == null || value.isBlank() || value.length() > 64) {
      throw new ValidationException("id", "id must be 1 to 64 characters");
    }
  }

  /** The id whose string form is {@code value}; same checks and exceptions as the constructor. */
  public static DestinationId of(String value) {
    return new DestinationId(value);
  }

  /** A new random identifier. */
  public static DestinationId random() {
    return new DestinationId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
