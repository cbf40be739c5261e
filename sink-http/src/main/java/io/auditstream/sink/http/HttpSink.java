package io.auditstream.sink.http;

import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.CloseGuard;
import io.auditstream.api.sink.DeliveryAttempt;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events of one HTTP destination through the {@link HttpTransport} it shares with the other
 * sinks of its provider: one POST per event, as GitLab does, or, when the destination's {@link
 * HttpBatching batching} is on, one POST per batch, as NDJSON. Up to {@link
 * HttpSinkProvider#MAX_IN_FLIGHT} deliveries may be in flight at once.
 *
 * <p>Headers: the verification token and, when the destination signs, the {@code webhook-*} signature
 * headers come from the engine's {@link DeliveryAttempt}, put after the configured headers; a delivery
 * made without an attempt (a direct call) sends the destination's token alone.
 *
 * <p>Every request is bounded by {@link SinkContext#requestTimeout()} from sending to the last byte
 * of the response, whatever the transport. Unless the context allows local network destinations, the
 * host is checked with {@link NetworkAddressPolicy} before every request, or, on a transport that
 * {@linkplain HttpTransport#connectsOnlyToCheckedAddresses() checks when it connects}, on every
 * connection.
 *
 * <p>Thread-safe: deliveries may run at once, and {@link #close()} may come from another thread
 * during them; it cancels the requests in flight, and leaves the shared transport to the others.
 */
final class HttpSink implements Sink {
  /** What an HTTP destination's request carries that must not travel in clear, for messages. */
  static final String CREDENTIALS = "the verification token and headers";

  private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);
  /** Runs a task on the calling thread: the blocking {@link #deliver} does the address check itself. */
  private static final Executor CALLER = Runnable::run;

  private final SinkContext context;
  private final URI uri;
  private final String hostForMessages;
  private final String what;
  private final HttpPayloads payloads;
  /** The token alone: the headers of a delivery the engine did not hand an attempt (a direct call). */
  private final Map<String, String> tokenOnly;
  private final Clock clock;
  /** Null when batching is off. */
  private final HttpBatching batching;
  private final SharedTransports.Lease lease;
  private final HttpTransport transport;
  private final boolean checkEachRequest;
  private final HttpFailures failures;
  private final CloseGuard closeGuard = new CloseGuard();
  private final String plainHttpRefusal;
  private final Set<CompletableFuture<HttpTransportResponse>> inFlight = ConcurrentHashMap.newKeySet();

  HttpSink(Destination destination, HttpDestinationConfig config, SinkContext context, SharedTransports.Lease lease,
      Clock clock) {
    Objects.requireNonNull(config, "config");
    this.context = Objects.requireNonNull(context, "context");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.transport = lease.transport();
    this.uri = config.uri();
    this.hostForMessages = NetworkAddressPolicy.hostForMessages(uri);
    this.what = "destination host " + hostForMessages;
    Secret token = destination.verificationToken().orElseThrow(() -> new IllegalArgumentException(
        "destination " + destination.id() + " is a redacted copy, without its verification token"));
    this.payloads = new HttpPayloads(config, context.userAgent());
    this.tokenOnly = Map.of(HttpHeader.TOKEN_HEADER, token.reveal());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.batching = config.batching().orElse(null);
    this.checkEachRequest = !context.allowLocalNetwork() && !transport.connectsOnlyToCheckedAddresses();
    this.plainHttpRefusal = NetworkAddressPolicy.plainHttpRefusal("destinationUrl", uri, CREDENTIALS, context)
        .orElse(null);
    this.failures = new HttpFailures(hostForMessages, context, clock);
  }

  /**
   * One event per request, as GitLab sends them; with batching on, its {@code maxEvents}. Receivers
   * dedupe on the event id (and on the batch id).
   */
  @Override
  public int maxBatchSize() {
    return batching == null ? 1 : batching.maxEvents();
  }

  /** Unbounded with batching off (one event per request); with batching on, its {@code maxBytes}. */
  @Override
  public long maxBatchBytes() {
    return batching == null ? Long.MAX_VALUE : batching.maxBytes();
  }

  /** None with batching off; with batching on, its {@code linger}. */
  @Override
  public Duration batchLinger() {
    return batching == null ? Duration.ZERO : batching.linger();
  }

  /** {@link HttpSinkProvider#MAX_IN_FLIGHT}: receivers dedupe on the event id, and may get events out of order. */
  @Override
  public int maxInFlight() {
    return HttpSinkProvider.MAX_IN_FLIGHT;
  }

  /**
   * POSTs each event of {@code batch} in order (normally the batch holds one); with batching on, POSTs
   * the whole batch in one request. Blocks for at most the address check plus {@link
   * SinkContext#requestTimeout()} per request.
   *
   * @throws DeliveryException retryable on 408, 429, 5xx, timeouts and I/O errors (with the {@code
   *     Retry-After} wait when the receiver gave one); permanent on 3xx, other 4xx, and refused
   *     addresses. The message names the status and host, never the token, header values or the
   *     URL's path and query.
   */
  @Override
  public void deliver(List<EncodedEvent> batch) throws DeliveryException {
    DeliveryAttempt attempt = unsignedAttempt();
    if (batching != null) {
      checkNotInterrupted();
      await(deliverOne(batchPayload(batch, attempt), CALLER, false));
      return;
    }
    for (EncodedEvent event : batch) {
      checkNotInterrupted();
      await(deliverOne(payloads.single(event, attempt), CALLER, false));
    }
  }

  /**
   * The attempt of a delivery made without one (a direct call, not the engine's): the destination's
   * token, and no signature, since the signing secrets stay with the engine.
   */
  private DeliveryAttempt unsignedAttempt() {
    return DeliveryAttempt.unsigned(clock.instant(), tokenOnly);
  }

  private void checkNotInterrupted() throws DeliveryException {
    if (Thread.currentThread().isInterrupted()) {
      // Before the transport sees it: a client may fail on the flag in its own way, or clear it.
      throw failures.interrupted();
    }
  }

  /**
   * The NDJSON request of {@code batch}.
   *
   * @throws DeliveryException permanent when the batch is empty or too large for one request body
   */
  private HttpPayloads.Payload batchPayload(List<EncodedEvent> batch, DeliveryAttempt attempt)
      throws DeliveryException {
    try {
      return payloads.batch(batch, attempt);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw DeliveryException.permanent("a batch of " + batch.size() + " events cannot be sent to destination host "
          + hostForMessages + ": " + e.getMessage());
    }
  }

  /**
   * POSTs each event of {@code batch} in order (with batching on, the whole batch in one request)
   * without blocking the caller: the request goes out on the transport, and the future completes on the transport's thread. Only the address check of a
   * transport that does not check when it connects, for a host name (not an IP literal), runs on
   * {@code blockingExecutor}, since it is a DNS lookup. A transport that checks when it connects may
   * look the name up on the calling thread when it opens a new connection (bounded by the connect
   * timeout); pooled connections need none. The future fails with a {@link DeliveryException} as
   * {@link #deliver} throws it.
   */
  @Override
  public CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, Executor blockingExecutor) {
    return deliverAsync(batch, unsignedAttempt(), blockingExecutor);
  }

  /**
   * As {@link #deliverAsync(List, Executor)}, every request carrying the attempt's headers: the token
   * and, when the destination signs, {@code webhook-id} (the event id, or the batch id with batching
   * on), {@code webhook-timestamp} and {@code webhook-signature} over exactly the body it sends.
   */
  @Override
  public CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, DeliveryAttempt attempt,
      Executor blockingExecutor) {
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    if (batching != null) {
      try {
        return deliverOne(batchPayload(batch, attempt), blockingExecutor, true);
      } catch (DeliveryException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (batch.size() == 1) {
      return deliverOne(payloads.single(batch.get(0), attempt), blockingExecutor, true);
    }
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (EncodedEvent event : batch) {
      chain = chain.thenCompose(v -> deliverOne(payloads.single(event, attempt), blockingExecutor, true));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    chain.whenComplete((v, e) -> complete(result, e));
    return result;
  }

  /**
   * Checks the address where needed, sends, and maps the outcome.
   *
   * @param timed whether to bound the exchange with a timer of its own; the blocking {@link #deliver}
   *     bounds its wait instead, which costs no timer task per request
   */
  private CompletableFuture<Void> deliverOne(HttpPayloads.Payload payload, Executor blockingExecutor,
      boolean timed) {
    try {
      closeGuard.checkOpen(what);
      if (plainHttpRefusal != null) {
        // Saved before the rule, or under other settings: the token must not leave in clear.
        throw DeliveryException.permanent(plainHttpRefusal);
      }
      if (!checkEachRequest) {
        return send(payload, timed);
      }
      if (NetworkAddressPolicy.parseLiteral(uri.getHost()).isPresent()) {
        // An IP literal is checked without I/O, so right here.
        checkAddress();
        return send(payload, timed);
      }
    } catch (DeliveryException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Before every request, not once: what a name resolves to can change after it was saved.
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture<Void> check;
    try {
      check = CompletableFuture.runAsync(() -> {
        try {
          checkAddress();
        } catch (DeliveryException e) {
          throw new CompletionException(e);
        }
      }, blockingExecutor);
    } catch (RuntimeException e) {
      // An executor that refuses work (the engine shutting down): try again later.
      return CompletableFuture.failedFuture(DeliveryException.retryable("the address check of destination host "
          + hostForMessages + " could not be started: " + e.getClass().getSimpleName()));
    }
    check.thenCompose(v -> send(payload, timed)).whenComplete((v, e) -> complete(result, e));
    return result;
  }

  private void checkAddress() throws DeliveryException {
    NetworkAddressPolicy.check(uri.getHost(), context.connectTimeout(), context.hostResolver());
  }

  private CompletableFuture<Void> send(HttpPayloads.Payload payload, boolean timed) {
    try {
      return sendOpen(payload, timed);
    } catch (DeliveryException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Void> sendOpen(HttpPayloads.Payload payload, boolean timed) throws DeliveryException {
    closeGuard.checkOpen(what);
    HttpTransportRequest request =
        new HttpTransportRequest("POST", uri, payload.headers(), payload.body(), context.requestTimeout());
    CompletableFuture<HttpTransportResponse> exchange;
    try {
      exchange = transport.send(request);
    } catch (RuntimeException e) {
      throw DeliveryException.permanent("request to destination host " + hostForMessages + " cannot be sent: "
          + e.getClass().getSimpleName());
    }
    inFlight.add(exchange);
    if (closeGuard.isClosed()) {
      // close() ran between the check above and add(): it did not see this request.
      exchange.cancel(true);
    }
    if (timed) {
      // The transport's own timeouts may bound only the wait for the headers; this bounds the body too.
      exchange.orTimeout(context.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    exchange.whenComplete((response, error) -> {
      inFlight.remove(exchange);
      if (error != null) {
        result.completeExceptionally(closeGuard.isClosed() ? closedDuring() : failures.error(error));
      } else if (response.statusCode() >= 200 && response.statusCode() < 300) {
        LOG.debug("delivered {} to {} ({})", payload.what(), hostForMessages, response.statusCode());
        result.complete(null);
      } else {
        result.completeExceptionally(failures.status(response));
      }
    });
    // A caller that gives up on the delivery (the blocking deliver, interrupted) aborts the request.
    result.whenComplete((v, e) -> {
      if (result.isCancelled()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  private DeliveryException closedDuring() {
    try {
      closeGuard.checkNotClosedDuring(what);
    } catch (DeliveryException e) {
      return e;
    }
    throw new IllegalStateException("sink is not closed");
  }

  private void complete(CompletableFuture<Void> result, Throwable error) {
    if (error == null) {
      result.complete(null);
    } else {
      result.completeExceptionally(closeGuard.isClosed() ? closedDuring() : failures.error(error));
    }
  }

  /**
   * Waits for a delivery whose request was just sent, at most the request timeout; the transport's
   * own timeouts may bound only the wait for the headers, this bounds the body too.
   */
  private void await(CompletableFuture<Void> delivery) throws DeliveryException {
    long bound = context.requestTimeout().toNanos();
    try {
      delivery.get(bound, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      delivery.cancel(true);
      throw failures.timeout();
    } catch (InterruptedException e) {
      delivery.cancel(true);
      Thread.currentThread().interrupt();
      throw failures.interrupted();
    } catch (ExecutionException e) {
      throw failures.error(e);
    }
  }

  /**
   * Stops the sink: cancels its requests in flight and gives its transport back, which the provider
   * closes once no sink uses it. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closeGuard.markClosed()) {
      return;
    }
    for (CompletableFuture<HttpTransportResponse> exchange : inFlight) {
      exchange.cancel(true);
    }
    lease.release();
  }

  @Override
  public String toString() {
    return "HttpSink{host=" + hostForMessages + ", closed=" + closeGuard.isClosed() + "}";
  }
}
