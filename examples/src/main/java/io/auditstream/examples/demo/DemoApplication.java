package io.auditstream.examples.demo;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.EventTypeCatalogs;
import io.auditstream.core.RetryPolicy;
import io.auditstream.examples.customsink.JsonLinesFileConfig;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The demo host application. Its group {@code acme} has the subgroup {@code acme/platform} and the
 * projects {@code acme/platform/api} and {@code acme/web}; {@code alice} is the group's Owner. It adds
 * an HTTP destination (or, with {@code --s3-bucket}, an S3 one, or with {@code --gcp-project}, a Google
 * Cloud Logging one) as alice, streams sample events, waits for delivery, and ends with {@code
 * delivered=N failed=M}. With {@code --jsonl-file} it also adds a destination of the kind that the
 * module {@code audit-stream-example-custom-sink} brings, found through {@link
 * java.util.ServiceLoader}: each event appended to a file as a JSON line signed with {@code
 * --jsonl-signing-key} (a generated key, printed once, when none is given). Exit status: 0 when every
 * event that passed the filters was delivered, 1 when some were not, 2 for invalid options (reported
 * in one line before anything is sent).
 */
public final class DemoApplication {
  static final Actor OWNER = Actor.of("alice");
  /** The length of the signing key the demo generates when {@code --jsonl-signing-key} is not given. */
  static final int GENERATED_SIGNING_KEY_LENGTH = 32;
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

  private DemoApplication() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the demo; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (DemoOptions.UsageException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return 0;
    }
    LocalReceiver receiver = null;
    try {
      if (options.destinationUrl() == null && options.cloud() == null) {
        receiver = LocalReceiver.start(out);
      }
      return stream(options, receiver, out, err);
    } catch (java.io.IOException e) {
      err.println("error: could not start the local receiver: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return 1;
    } finally {
      if (receiver != null) {
        receiver.close();
      }
    }
  }

  private static int stream(DemoOptions options, LocalReceiver receiver, PrintStream out, PrintStream err)
      throws InterruptedException {
    boolean local = receiver != null;
    String url = local ? receiver.url() : options.destinationUrl();
    AccessPolicy owners = (actor, group) -> actor.equals(OWNER) && group.equals(SampleEvents.GROUP);
    try (AuditStreamer streamer = AuditStreamer.builder()
        .accessPolicy(owners)
        .eventTypeCatalog(loadCatalog())
        // The local receiver is on loopback, which destinations may only use when allowed.
        .allowLocalNetwork(local || options.allowLocalNetwork())
        .retryPolicy(RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(200))
            .maxBackoff(Duration.ofSeconds(2)).build())
        .requestTimeout(Duration.ofSeconds(5))
        .build()) {
      List<Destination> destinations = new ArrayList<>();
      try {
        destinations.add(streamer.destinations().create(OWNER, SampleEvents.GROUP, options.cloud() != null
            ? options.cloud().draft(options.eventTypeFilter()) : httpDraft(options, url)));
        if (options.jsonlFile() != null) {
          boolean generated = options.jsonlSigningKey() == null;
          String key = generated ? generateSigningKey() : options.jsonlSigningKey();
          destinations.add(streamer.destinations().create(OWNER, SampleEvents.GROUP,
              DestinationDraft.builder(JsonLinesFileConfig.builder()
                      // The kind wants an absolute path: the stored destination must not depend on the working folder.
                      .path(options.jsonlFile().toAbsolutePath())
                      .signingKey(key))
                  .name("demo-jsonl-file")
                  .eventTypeFilter(options.eventTypeFilter())
                  .build()));
          if (generated) {
            // Shown once, so that whoever reads the file can check its signatures; the engine never shows it again.
            out.println("jsonl-file signing key: " + key);
          }
        }
      } catch (AuditStreamException e) {
        String hint = e.getMessage().contains("allowLocalNetwork") ? " (demo option: --allow-local-network)" : "";
        err.println("error: " + e.getMessage() + hint);
        return 2;
      }
      Destination http = destinations.get(0);
      if (local) {
        receiver.expectToken(streamer.destinations().verificationToken(OWNER, http.id()));
      }
      out.printf("streaming %d events of group %s to %s%n", options.events(), SampleEvents.GROUP,
          options.cloud() != null ? options.cloud().describe() : url);

      int expected = 0;
      int expectedHttp = 0;
      for (AuditEvent event : SampleEvents.generate(options.events())) {
        streamer.stream(event);
        for (Destination d : destinations) {
          if (d.wants(event)) {
            expected++;
            expectedHttp += d == http ? 1 : 0;
          }
        }
      }
      streamer.flush(DELIVERY_TIMEOUT);
      if (local) {
        receiver.awaitReceived(expectedHttp, Duration.ofSeconds(5));
      }
      long delivered = 0;
      for (Destination d : destinations) {
        DestinationStatus status = streamer.destinations().status(OWNER, d.id());
        delivered += status.delivered();
        status.lastError().ifPresent(e -> err.println("destination " + d.name() + ": " + e));
      }
      long failed = expected - delivered;
      boolean tokensOk = !local || receiver.tokenMismatches() == 0;
      out.println("delivered=" + delivered + " failed=" + failed);
      return failed == 0 && tokensOk ? 0 : 1;
    }
  }

  private static DestinationDraft httpDraft(DemoOptions options, String url) {
    HttpDestinationConfig.Builder config = HttpDestinationConfig.builder()
        .destinationUrl(url)
        .contentType(options.contentType());
    options.headers().forEach(h -> config.header(h.getKey(), h.getValue()));
    return DestinationDraft.builder(config.build())
        .name("demo-http")
        .verificationToken(options.verificationToken())
        .eventTypeFilter(options.eventTypeFilter())
        .build();
  }

  private static String generateSigningKey() {
    SecureRandom random = new SecureRandom();
    char[] key = new char[GENERATED_SIGNING_KEY_LENGTH];
    for (int i = 0; i < key.length; i++) {
      key[i] = KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length()));
    }
    return new String(key);
  }

  private static EventTypeCatalog loadCatalog() {
    try (Reader csv = new InputStreamReader(
        Objects.requireNonNull(DemoApplication.class.getResourceAsStream("/audit-event-types.csv"),
            "audit-event-types.csv is missing from the jar"),
        StandardCharsets.UTF_8)) {
      return EventTypeCatalogs.fromCsv(csv);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
