package io.auditstream.core;

import io.auditstream.api.ConflictException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.internal.SinkRegistry;
import java.security.SecureRandom;
import java.util.List;
import java.util.TreeSet;

/**
 * The rules {@link DestinationService} applies to a destination before saving it, and the values it
 * generates (names, verification tokens). Thread-safe.
 */
final class DestinationRules {
  private static final String TOKEN_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final EventTypeCatalog catalog;
  private final SinkRegistry sinks;
  private final SinkContext sinkContext;
  private final SecureRandom random = new SecureRandom();

  DestinationRules(EventTypeCatalog catalog, SinkRegistry sinks, SinkContext sinkContext) {
    this.catalog = catalog;
    this.sinks = sinks;
    this.sinkContext = sinkContext;
  }

  /** Builds the destination and runs every check that needs no other destination; all violations at once. */
  Destination validate(Destination.Builder b) {
    ValidationException.Collector v = ValidationException.collector();
    Destination d = null;
    try {
      d = b.build();
    } catch (ValidationException e) {
      v.addAll("", e);
    }
    if (d != null) {
      TreeSet<String> unknown = new TreeSet<>();
      d.eventTypeFilter().stream().filter(t -> !catalog.contains(t)).forEach(unknown::add);
      v.check(unknown.isEmpty(), "eventTypeFilter", "eventTypeFilter names unknown event types: "
          + String.join(", ", unknown));
      v.check(!d.kind().equals(HttpDestinationConfig.KIND) || d.config() instanceof HttpDestinationConfig,
          "config", "config of kind 'http' must be an HttpDestinationConfig");
      try {
        sinks.require(d.kind()).validate(d.config(), sinkContext);
      } catch (ValidationException e) {
        v.addAll("", e);
      }
    }
    v.throwIfAny();
    return d;
  }

  /**
   * Uniqueness per group: name, and the kind's own key (an HTTP destination's URL, a Cloud Logging
   * destination's project and log, an S3 destination's bucket).
   */
  static void checkUnique(Destination d, List<Destination> others) {
    for (Destination o : others) {
      if (o.name().equals(d.name())) {
        throw new ConflictException("name", "name must be unique in group '" + d.groupPath()
            + "': destination " + o.id() + " is already named '" + d.name() + "'");
      }
      if (d.config() instanceof HttpDestinationConfig h && o.config() instanceof HttpDestinationConfig oh
          && h.destinationUrl().equals(oh.destinationUrl())) {
        throw new ConflictException("destinationUrl", "destinationUrl must be unique in group '" + d.groupPath()
            + "': destination " + o.id() + " already streams to it");
      }
      if (d.config() instanceof GcpLoggingDestinationConfig g && o.config() instanceof GcpLoggingDestinationConfig og
          && g.googleProjectIdName().equals(og.googleProjectIdName()) && g.logIdName().equals(og.logIdName())) {
        throw new ConflictException("logIdName", "logIdName must be unique per googleProjectIdName in group '"
            + d.groupPath() + "': destination " + o.id() + " already writes to log " + g.logName());
      }
      if (d.config() instanceof S3DestinationConfig s && o.config() instanceof S3DestinationConfig os
          && s.bucketName().equals(os.bucketName())) {
        throw new ConflictException("bucketName", "bucketName must be unique in group '" + d.groupPath()
            + "': destination " + o.id() + " already writes to bucket " + s.bucketName());
      }
    }
  }

  String generateName(List<Destination> existing) {
    while (true) {
      String name = "Destination_" + Long.toHexString(random.nextLong() & 0xffffffffffffL);
      if (existing.stream().noneMatch(d -> d.name().equals(name))) {
        return name;
      }
    }
  }

  Secret generateToken() {
    char[] token = new char[DestinationService.GENERATED_TOKEN_LENGTH];
    for (int i = 0; i < token.length; i++) {
      token[i] = TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length()));
    }
    return Secret.of(new String(token));
  }
}
