package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.destination.DestinationConfig;

/**
 * Reads and writes one type of {@link DestinationConfig} in the store file. The config object of a
 * stored destination carries the codec's {@link #type()} under {@code "type"}, so a later version
 * adds a codec for a new config type (Google Cloud Logging, AWS S3) without touching the others.
 * Implementations are stateless and thread-safe.
 */
interface ConfigCodec {
  /** The tag written as {@code "type"}; never changes once files exist that carry it. */
  String type();

  /** Whether this codec writes {@code config}. */
  boolean handles(DestinationConfig config);

  /** Writes every field of {@code config}, secrets included, into {@code out}. */
  void write(DestinationConfig config, ObjectNode out);

  /**
   * Reads a config this codec wrote.
   *
   * @throws IllegalArgumentException naming a field that is missing or malformed (never its value)
   */
  DestinationConfig read(JsonNode in);

  /** The text of a required field. */
  static String text(JsonNode in, String field) {
    JsonNode n = in.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
    }
    return n.asText();
  }

  /** The text of an optional field, {@code null} when absent. */
  static String optionalText(JsonNode in, String field) {
    return in.hasNonNull(field) ? text(in, field) : null;
  }

  /** The boolean of a field, {@code dflt} when absent. */
  static boolean bool(JsonNode in, String field, boolean dflt) {
    JsonNode n = in.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException("field '" + field + "' is not a boolean");
    }
    return n.booleanValue();
  }
}
