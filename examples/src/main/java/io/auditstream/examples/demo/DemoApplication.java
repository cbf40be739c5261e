package io.auditstream.examples.demo;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ConflictException;
import io.auditstream.api.LogText;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.EventTypeCatalogs;
import io.auditstream.core.RetryPolicy;
import io.auditstream.examples.customsink.JsonLinesFileConfig;
import io.auditstream.examples.customsink.JsonLinesFileSinkProvider;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo host application. Its group {@code acme} has the subgroup {@code acme/platform} and the
 * projects {@code acme/platform/api} and {@code acme/web}; {@code alice} is the group's Owner. It adds
 * an HTTP destination (or, with {@code --s3-bucket}, an S3 one, or with {@code --gcp-project}, a Google
 * Cloud Logging one) as alice, streams sample events, waits for delivery (saying every few seconds what
 * is still pending, and why, while attempts fail), and ends with {@code delivered=N failed=M pending=K
 * dropped=D}, after a line per destination when there are several ({@link RunSummary} says what each count
 * means). With {@code --jsonl-file} it also adds a destination of the kind that the
 * module {@code audit-stream-example-custom-sink} brings, its provider made with the root folder the
 * demo allows: each event appended to a file as a JSON line signed with {@code
 * --jsonl-signing-key} (a generated key, printed once, when none is given), inside the group's own
 * folder of {@code --jsonl-root} (the working folder unless given). With {@code --data-dir}
 * destinations and undelivered events live in the embedded durable store of {@code
 * audit-stream-jdbc} in that folder: the demo prints {@code accepted=N} once every event is stored,
 * and what is pending when it stops waiting stays there; {@code --drain} delivers what an earlier run
 * left there without streaming anything new. With {@code --postgres-url} the durable store is in
 * PostgreSQL instead, shared by every demo process given the same database: they reuse one stored
 * destination of the same URL and share its delivery. With {@code --signing-secret} every HTTP request
 * is signed as the Standard Webhooks specification describes, and the local receiver checks each
 * signature with {@code audit-stream-webhook-verifier}. Exit status: 0 when every
 * event that passed the filters was delivered (nothing failed, pending or dropped), 1 when some were not,
 * 2 for invalid options (reported in one line before anything is sent).
 */
public final class DemoApplication {
  static final Actor OWNER = Actor.of("alice");
  /** The length of the signing key the demo generates when {@code --jsonl-signing-key} is not given. */
  static final int GENERATED_SIGNING_KEY_LENGTH = 32;
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
  // How often the demo says what is still pending while it waits for delivery.
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(3);
  // Twice the engine's look at a shared store for other processes' changes.
  private static final Duration SHARED_STORE_CATCH_UP = Duration.ofSeconds(2);

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
      error(err, e.getMessage());
      return 2;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return 0;
    }
    LocalReceiver receiver = null;
    try {
      // A drain delivers to the destinations stored in the data folder: it needs no receiver of its own.
      if (options.destinationUrl() == null && options.cloud() == null && !options.drain()) {
        receiver = LocalReceiver.start(out);
      }
      return stream(options, receiver, out, err);
    } catch (java.io.IOException e) {
      error(err, "could not start the local receiver: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(err, "interrupted");
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
    boolean durable = options.dataDir() != null || options.postgres() != null;
    AccessPolicy owners = (actor, group) -> actor.equals(OWNER) && group.equals(SampleEvents.GROUP);
    AuditStreamer.Builder builder = AuditStreamer.builder()
        .accessPolicy(owners)
        .eventTypeCatalog(loadCatalog())
        // The local receiver is on loopback, which destinations may only use when allowed.
        .allowLocalNetwork(local || options.allowLocalNetwork())
        .allowPlainHttp(options.allowPlainHttp())
        // Short waits between attempts, so the demo ends soon; with a data folder nothing ages out
        // before the default maximum age (what is left is drained later), in memory after 10 s.
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofMillis(800), Duration.ofSeconds(2))
            .maxAge(durable ? RetryPolicy.DEFAULT_MAX_AGE : Duration.ofSeconds(10)).build())
        .requestTimeout(Duration.ofSeconds(5));
    if (options.jsonlFile() != null) {
      // The host decides where Owners' files may be: each group writes in its own folder of this root.
      builder.addSinkProvider(new JsonLinesFileSinkProvider(options.jsonlRoot()));
    }
    DemoStore store = null;
    if (durable) {
      try {
        store = DemoStore.open(options);
      } catch (RuntimeException e) {
        error(err, "cannot open the durable store "
            + (options.dataDir() != null ? options.dataDir() : options.postgres().location()) + ": " + e.getMessage());
        return 2;
      }
      // The streamer closes both; the store then closes what is left (a connection pool).
      builder.destinationStore(store.destinations()).deliveryQueue(store.outbox());
    }
    try {
      return streamAndReport(options, builder, store, receiver, url, out, err);
    } finally {
      // After the streamer, which closes the store's outbox and destinations: what is left is its pool.
      if (store != null) {
        store.close();
      }
    }
  }

  private static int streamAndReport(DemoOptions options, AuditStreamer.Builder builder, DemoStore store,
      LocalReceiver receiver, String url, PrintStream out, PrintStream err) throws InterruptedException {
    boolean local = receiver != null;
    boolean durable = store != null;
    try (AuditStreamer streamer = builder.build()) {
      List<Destination> destinations;
      try {
        destinations = options.drain() ? streamer.destinations().list(OWNER, SampleEvents.GROUP)
            : destinations(streamer, options, url, durable, out);
      } catch (AuditStreamException e) {
        error(err, e.getMessage() + hint(e.getMessage()));
        return 2;
      }
      if (options.drain()) {
        out.printf("draining what is pending in %s for %d destinations%n", store.description(), destinations.size());
        awaitDelivery(streamer, destinations, out);
        return summary(streamer, destinations, Map.of(), out, err);
      }
      Destination http = destinations.get(0);
      if (local) {
        receiver.expectToken(streamer.destinations().verificationToken(OWNER, http.id()));
        if (options.signingSecret() != null) {
          receiver.expectSignatures(options.signingSecret());
        }
      }
      out.printf("streaming %d events of group %s to %s%n", options.events(), SampleEvents.GROUP,
          options.cloud() != null ? options.cloud().describe() : url);

      Map<DestinationId, Long> expected = new HashMap<>();
      List<CompletableFuture<Void>> stored = new ArrayList<>();
      for (AuditEvent event : SampleEvents.generate(options.events())) {
        if (durable) {
          stored.add(streamer.submit(event));
        } else {
          streamer.stream(event);
        }
        for (Destination d : destinations) {
          if (d.wants(event)) {
            expected.merge(d.id(), 1L, Long::sum);
          }
        }
      }
      if (durable) {
        out.println("accepted=" + awaitStored(stored, err));
      }
      awaitDelivery(streamer, destinations, out);
      if (options.postgres() != null) {
        awaitSharedBacklog(streamer, destinations);
      }
      if (local) {
        receiver.awaitReceived(expected.getOrDefault(http.id(), 0L).intValue(), Duration.ofSeconds(5));
      }
      boolean tokensOk = !local || receiver.tokenMismatches() == 0 && receiver.signatureFailures() == 0;
      if (options.postgres() != null) {
        // A destination's counts are this process's own, and another process sharing the database may have
        // delivered this one's events: what the counts miss was not dropped, so nothing is inferred from it.
        out.println("shared store: events another demo process delivered are counted by that process");
        return summary(streamer, destinations, Map.of(), out, err) == 0 && tokensOk ? 0 : 1;
      }
      return summary(streamer, destinations, expected, out, err) == 0 && tokensOk ? 0 : 1;
    }
  }

  /**
   * Waits (at most {@link #DELIVERY_TIMEOUT}) until every queued event was delivered or given up on,
   * printing every {@link #PROGRESS_INTERVAL} what is still pending and why, so that a run against a
   * receiver that is down is not silent while the engine retries.
   */
  private static void awaitDelivery(AuditStreamer streamer, List<Destination> destinations, PrintStream out) {
    long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        out.println("stopped waiting after " + DELIVERY_TIMEOUT.toSeconds()
            + " s: what is still queued counts as pending");
        return;
      }
      if (streamer.flush(Duration.ofNanos(Math.min(left, PROGRESS_INTERVAL.toNanos())))) {
        return;
      }
      DeliveryProgress.lines(destinations.stream()
              .map(d -> new DeliveryProgress.Seen(d.name(), streamer.destinations().status(OWNER, d.id())))
              .toList())
          .forEach(out::println);
    }
  }

  /**
   * The demo's destinations: an HTTP (or cloud) one and, with {@code --jsonl-file}, a plug-in one.
   * With a durable store, a stored HTTP destination of the same URL is reused rather than created
   * again, also when another demo process sharing the store created it a moment ago.
   */
  private static List<Destination> destinations(AuditStreamer streamer, DemoOptions options, String url,
      boolean durable, PrintStream out) {
    List<Destination> destinations = new ArrayList<>();
    boolean reuse = durable && options.cloud() == null;
    Destination stored = reuse ? storedHttp(streamer, url) : null;
    if (stored != null && options.postgres() != null) {
      awaitSharedDestination();
    }
    if (stored != null && options.signingSecret() != null) {
      // A destination stored by an earlier run signs with the secret given now.
      stored = streamer.destinations().enableSigning(OWNER, stored.id(), Secret.of(options.signingSecret()));
    }
    if (stored == null) {
      try {
        stored = streamer.destinations().create(OWNER, SampleEvents.GROUP,
            options.cloud() != null ? options.cloud().draft(options.eventTypeFilter()) : httpDraft(options, url));
      } catch (ConflictException e) {
        // Another process sharing the store created it between the look-up and the create.
        stored = reuse ? storedHttp(streamer, url) : null;
        if (stored == null) {
          throw e;
        }
        awaitSharedDestination();
      }
    }
    destinations.add(stored);
    if (options.jsonlFile() != null) {
      boolean generated = options.jsonlSigningKey() == null;
      String key = generated ? generateSigningKey() : options.jsonlSigningKey();
      destinations.add(streamer.destinations().create(OWNER, SampleEvents.GROUP,
          DestinationDraft.builder(JsonLinesFileConfig.builder()
                  // As given: relative to the group's folder in the root, or absolute inside it; the provider checks.
                  .path(options.jsonlFile())
                  .signingKey(key))
              .name("demo-jsonl-file")
              .eventTypeFilter(options.eventTypeFilter())
              .build()));
      out.println("jsonl-file appends to " + options.jsonlRoot().toAbsolutePath().resolve(SampleEvents.GROUP)
          .resolve(options.jsonlFile()).normalize());
      if (generated) {
        // Shown once, so that whoever reads the file can check its signatures; the engine never shows it again.
        out.println("jsonl-file signing key: " + key);
      }
    }
    return destinations;
  }

  /**
   * Other demo processes may still add to the backlog this one shares with them: waits (bounded) until
   * it is empty, so that the summary reports what is left for a later run, not what is on its way.
   */
  private static void awaitSharedBacklog(AuditStreamer streamer, List<Destination> destinations) {
    long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && destinations.stream()
        .anyMatch(d -> streamer.destinations().status(OWNER, d.id()).pending() > 0)) {
      streamer.flush(Duration.ofSeconds(1));
    }
  }

  /**
   * The destination was stored by another demo process sharing the database: this process's engine
   * takes it in at its next look at the store (once a second), and events streamed before that would go
   * to no destination here, so the demo waits for it.
   */
  private static void awaitSharedDestination() {
    try {
      Thread.sleep(SHARED_STORE_CATCH_UP.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Destination storedHttp(AuditStreamer streamer, String url) {
    return streamer.destinations().list(OWNER, SampleEvents.GROUP).stream()
        .filter(d -> d.config() instanceof HttpDestinationConfig c && c.destinationUrl().equals(url))
        .findFirst().orElse(null);
  }

  /** How many of the submitted events were stored; each one that was not is reported. */
  private static int awaitStored(List<CompletableFuture<Void>> stored, PrintStream err) throws InterruptedException {
    int accepted = 0;
    for (CompletableFuture<Void> f : stored) {
      try {
        f.get(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        accepted++;
      } catch (ExecutionException e) {
        err.println("not stored: " + LogText.escape(e.getCause().getMessage()));
      } catch (TimeoutException e) {
        err.println("not stored within " + DELIVERY_TIMEOUT.toSeconds() + " s");
      }
    }
    return accepted;
  }

  /**
   * Prints the {@link RunSummary} of the run (and each destination's last error, if any) and returns its
   * exit status. {@code expected} holds how many of this run's events each destination wanted.
   */
  private static int summary(AuditStreamer streamer, List<Destination> destinations, Map<DestinationId, Long> expected,
      PrintStream out, PrintStream err) {
    List<RunSummary.Counts> counts = new ArrayList<>();
    for (Destination d : destinations) {
      DestinationStatus status = streamer.destinations().status(OWNER, d.id());
      counts.add(RunSummary.Counts.of(d.name(), status, expected.getOrDefault(d.id(), 0L)));
      status.lastError().ifPresent(e ->
          err.println("destination " + LogText.escape(d.name()) + ": " + LogText.escape(e)));
    }
    RunSummary summary = RunSummary.of(counts);
    summary.lines().forEach(out::println);
    return summary.exitStatus();
  }

  /**
   * Prints {@code error: <message>} as one line: a message may quote what was typed, and nothing typed
   * may break the line or forge another.
   */
  private static void error(PrintStream err, String message) {
    err.println("error: " + LogText.escape(message));
  }

  /**
   * The demo option that allows what the library refused, named after the builder setting the
   * library's message names.
   */
  static String hint(String message) {
    if (message.contains("allowPlainHttp")) {
      return " (demo option: --allow-plain-http; or --allow-local-network for a receiver on the local network)";
    }
    return message.contains("allowLocalNetwork") ? " (demo option: --allow-local-network)" : "";
  }

  private static DestinationDraft httpDraft(DemoOptions options, String url) {
    HttpDestinationConfig.Builder config = HttpDestinationConfig.builder()
        .destinationUrl(url)
        .contentType(options.contentType());
    options.headers().forEach(h -> config.header(h.getKey(), h.getValue()));
    return DestinationDraft.builder(config.build())
        .name("demo-http")
        .verificationToken(options.verificationToken())
        .signingSecret(options.signingSecret())
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
