package io.auditstream.testing;

import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.SinkContext;
import java.time.Duration;
import java.time.Instant;

/**
 * What the unit tests of a {@link io.auditstream.api.sink.Sink} need besides the sink: a saved
 * destination to create it for, and a context that lets it reach a test server on loopback. For
 * sinks of your own as much as for the library's.
 */
public final class SinkTestKit {
  /** The verification token of {@link #destination(DestinationConfig)}. */
  public static final String TOKEN = "tok-3f9a7c1e5b2d8f40";
  /** When {@link #destination(DestinationConfig)} was created. */
  public static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");
  /** The {@code User-Agent} of {@link #loopbackContext()}. */
  public static final String USER_AGENT = "audit-stream-test/1.0";

  private SinkTestKit() {}

  /**
   * A destination of group {@code acme} as the engine hands it to a sink provider: id {@code
   * dest-<kind>}, active, no filters, token {@link #TOKEN}.
   */
  public static Destination destination(DestinationConfig config) {
    return Destination.builder()
        .id(DestinationId.of("dest-" + config.kind()))
        .groupPath("acme")
        .name(config.kind() + " destination")
        .verificationToken(Secret.of(TOKEN))
        .config(config)
        .createdAt(CREATED)
        .build();
  }

  /**
   * Local network allowed (test servers listen on loopback), a 2 second connect timeout, a 5 second
   * request timeout and {@link #USER_AGENT}.
   */
  public static SinkContext loopbackContext() {
    return SinkContext.builder()
        .allowLocalNetwork(true)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .userAgent(USER_AGENT)
        .build();
  }
}
