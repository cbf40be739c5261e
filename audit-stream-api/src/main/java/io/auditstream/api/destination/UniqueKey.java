package io.auditstream.api.destination;

import java.util.Objects;

/**
 * What two destinations of one kind in one group may not share: an HTTP destination's URL, a Cloud
 * Logging destination's project and log, an S3 destination's bucket. Returned by {@link
 * DestinationKind#uniqueKey}; the engine refuses a destination whose key equals another's in the
 * group, with the message {@code "<rule> in group '<group>': destination <id> <clash>"}.
 *
 * @param field the field the conflict is reported on, for example {@code destinationUrl}
 * @param value what must differ; compared with {@link Object#equals}, never shown
 * @param rule the rule, naming the field, for example {@code destinationUrl must be unique}
 * @param clash what the other destination already does, for example {@code already streams to it}
 */
public record UniqueKey(String field, Object value, String rule, String clash) {
  /**
   * Creates the key; every component is required.
   *
   * @throws NullPointerException when one is null
   */
  public UniqueKey {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(clash, "clash");
  }

  /** Whether {@code other} is the same key: same field and equal value. */
  public boolean sameAs(UniqueKey other) {
    return other != null && field.equals(other.field) && value.equals(other.value);
  }
}
