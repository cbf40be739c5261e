package io.auditstream.sink.gcp;

import com.google.api.MonitoredResource;
import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.logging.v2.WriteLogEntriesRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.CloseGuard;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.TlsFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the events of one Google Cloud Logging destination: one log entry per event, several
 * entries per {@code entries.write} call.
 *
 * <p>Entry: log name {@code projects/<project>/logs/<log id>}, monitored resource {@code global}
 * (label {@code project_id}), severity {@code INFO}, the event JSON as the JSON payload, the event
 * {@code id} as the insert id (so that Cloud Logging drops the duplicate a retry may write) and the
 * event's {@code created_at} as the timestamp.
 *
 * <p>Batches: the engine hands at most {@link #MAX_BATCH_SIZE} events at once, whatever is queued,
 * without waiting for more; a batch whose entries exceed {@link #MAX_REQUEST_BYTES} goes out in
 * several calls.
 *
 * <p>Client: one {@link LoggingClient} per sink, made by {@link LoggingClientFactory} on the first
 * delivery (never on the host's thread), reused, and shut down by {@link #close()}. Every call is
 * bounded by {@link SinkContext#requestTimeout()}, token fetch included; the client's own retries
 * are off, since the engine retries with backoff. Unless local network destinations are allowed, the
 * endpoint and token hosts are checked before every delivery, and the channel and the token requests
 * then connect only to addresses that passed a check of their own, made for each new connection; an
 * address refused then fails the delivery permanently, with the policy's message.
 *
 * <p>Failures: {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}, {@code
 * INTERNAL}, {@code ABORTED}, {@code UNKNOWN} and {@code CANCELLED} are retried, as are token
 * endpoint outages; {@code PERMISSION_DENIED}, {@code UNAUTHENTICATED} (a refused token request
 * included), {@code INVALID_ARGUMENT}, {@code NOT_FOUND} and every other code are permanent.
 * Messages name the log and the status code, never the key or a token.
 *
 * <p>Thread-safe: {@link #deliver} may run while {@link #close()} is called from another thread.
 */
final class GcpLoggingSink implements Sink {
  /** What a token request carries that must not travel in clear, for messages. */
  static final String TOKEN_CREDENTIALS = "the assertion signed with the private key, and the access token it returns,";

  /** The most events one {@link #deliver} call takes. */
  static final int MAX_BATCH_SIZE = 100;
  /** The most bytes of entries one write call carries; Cloud Logging accepts up to 10 MB. */
  static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(GcpLoggingSink.class);
  private static final Set<StatusCode.Code> TRANSIENT = EnumSet.of(StatusCode.Code.UNAVAILABLE,
      StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.INTERNAL,
      StatusCode.Code.ABORTED, StatusCode.Code.UNKNOWN, StatusCode.Code.CANCELLED);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  private static final int MAX_DESCRIPTION = 200;

  private final GcpLoggingDestinationConfig config;
  private final SinkContext context;
  private final LoggingClientFactory factory;
  private final String logName;
  private final MonitoredResource resource;
  private final CloseGuard closeGuard = new CloseGuard();
  private final Object lock = new Object();
  // guarded by lock
  private LoggingConnection connection;

  GcpLoggingSink(GcpLoggingDestinationConfig config, SinkContext context, LoggingClientFactory factory) {
    this.config = config;
    this.context = context;
    this.factory = factory;
    this.logName = config.logName();
    this.resource = MonitoredResource.newBuilder().setType("global")
        .putLabels("project_id", config.googleProjectIdName()).build();
  }

  @Override
  public int maxBatchSize() {
    return MAX_BATCH_SIZE;
  }

  /**
   * Writes every event of {@code batch} to the log, in as few calls as the byte bound allows. Blocks
   * for at most the address checks plus {@link SinkContext#requestTimeout()} per call. When a later
   * call of a split batch fails, the engine retries the whole batch; the insert ids let Cloud Logging
   * drop the entries it already has.
   *
   * @throws DeliveryException retryable or permanent as the class documentation says; its message
   *     names the log, the endpoint and the status code
   */
  @Override
  public void deliver(List<EncodedEvent> batch) throws DeliveryException {
    LoggingConnection conn = connection();
    LoggingClient c;
    try {
      c = conn.client(context.connectTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted while connecting to " + where());
    }
    List<LogEntry> chunk = new ArrayList<>();
    long bytes = 0;
    for (EncodedEvent event : batch) {
      LogEntry entry = entry(event);
      int size = entry.getSerializedSize();
      if (!chunk.isEmpty() && bytes + size > MAX_REQUEST_BYTES) {
        write(conn, c, chunk);
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(entry);
      bytes += size;
    }
    if (!chunk.isEmpty()) {
      write(conn, c, chunk);
    }
  }

  private LogEntry entry(EncodedEvent event) throws DeliveryException {
    Struct.Builder payload = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(event.jsonString(), payload);
    } catch (InvalidProtocolBufferException e) {
      throw DeliveryException.permanent("event " + event.event().id() + " is not a JSON object Cloud Logging can"
          + " take as a payload");
    }
    Instant created = event.event().createdAt();
    return LogEntry.newBuilder()
        .setLogName(logName)
        .setResource(resource)
        .setSeverity(LogSeverity.INFO)
        .setInsertId(event.event().id())
        .setTimestamp(Timestamp.newBuilder().setSeconds(created.getEpochSecond()).setNanos(created.getNano()))
        .setJsonPayload(payload)
        .build();
  }

  private void write(LoggingConnection conn, LoggingClient c, List<LogEntry> entries) throws DeliveryException {
    WriteLogEntriesRequest request = WriteLogEntriesRequest.newBuilder()
        .setLogName(logName)
        .setResource(resource)
        .addAllEntries(entries)
        .build();
    ApiFuture<?> future;
    try {
      future = c.writeLogEntriesCallable().futureCall(request);
    } catch (ApiException e) {
      closeGuard.checkNotClosedDuring(logName);
      throw failure(conn, e);
    } catch (RuntimeException e) {
      closeGuard.checkNotClosedDuring(logName);
      throw DeliveryException.retryable(where() + " could not be called: " + e.getClass().getSimpleName());
    }
    // The call carries its own deadline; this outer bound only guards against a future never completed.
    long waitNanos = context.requestTimeout().plus(context.connectTimeout()).toNanos();
    try {
      future.get(waitNanos, TimeUnit.NANOSECONDS);
      LOG.debug("wrote {} entries to {}", entries.size(), logName);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw DeliveryException.retryable(where() + " did not answer within " + context.requestTimeout().toMillis()
          + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted while writing to " + where());
    } catch (CancellationException e) {
      closeGuard.checkNotClosedDuring(logName);
      throw DeliveryException.retryable("write to " + where() + " was cancelled");
    } catch (ExecutionException e) {
      // close() shuts the channel down, which fails the call in flight with CANCELLED or UNAVAILABLE.
      closeGuard.checkNotClosedDuring(logName);
      Throwable cause = e.getCause();
      if (cause instanceof ApiException api) {
        throw failure(conn, api);
      }
      throw DeliveryException.retryable("unexpected error writing to " + where() + ": "
          + (cause == null ? "unknown" : cause.getClass().getSimpleName()));
    }
  }

  private DeliveryException failure(LoggingConnection conn, ApiException e) {
    StatusCode.Code code = e.getStatusCode().getCode();
    if (code == StatusCode.Code.UNAVAILABLE && conn.addressRefusal().isPresent()) {
      // The name resolved to a refused address when the channel looked it up to connect: as permanent
      // as the same answer to the check before the delivery.
      String refusal = conn.addressRefusal().get();
      LOG.debug("{}; permanent", refusal);
      return DeliveryException.permanent(refusal);
    }
    String message;
    if (code == StatusCode.Code.UNAUTHENTICATED && tokenRequestFailed(e)) {
      message = where() + " answered UNAUTHENTICATED: the token endpoint refused service account "
          + config.clientEmail() + httpStatus(e) + " (check the client email and private key)";
    } else if (code == StatusCode.Code.UNAVAILABLE && tokenEndpointFailure(e) != null) {
      TokenEndpointException token = tokenEndpointFailure(e);
      message = where() + " answered UNAVAILABLE: could not get a token for service account "
          + config.clientEmail() + ": " + token.getMessage();
      if (token.refusedAddress()) {
        LOG.debug("{}; permanent", message);
        return DeliveryException.permanent(message);
      }
    } else if (code == StatusCode.Code.UNAVAILABLE && tokenRequestFailed(e)) {
      message = where() + " answered UNAVAILABLE: could not get a token for service account "
          + config.clientEmail() + httpStatus(e);
    } else if (code == StatusCode.Code.UNAVAILABLE && TlsFailures.describe(e).isPresent()) {
      message = "TLS handshake with " + where() + " failed: " + TlsFailures.describe(e).get();
    } else {
      message = where() + " answered " + code + description(e);
    }
    boolean retryable = TRANSIENT.contains(code);
    LOG.debug("{}; {}", message, retryable ? "retryable" : "permanent");
    return retryable ? DeliveryException.retryable(message) : DeliveryException.permanent(message);
  }

  /** The token transport's own failure in the cause chain, whose message is safe to repeat; or null. */
  private static TokenEndpointException tokenEndpointFailure(ApiException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TokenEndpointException token) {
        return token;
      }
    }
    return null;
  }

  /** Whether the credentials could not be had: gRPC then says so and carries the auth library's failure. */
  private static boolean tokenRequestFailed(ApiException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("com.google.auth.")
          || t.getClass().getName().equals("com.google.api.client.http.HttpResponseException")) {
        return true;
      }
    }
    return false;
  }

  private static String httpStatus(ApiException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.google.api.client.http.HttpResponseException h) {
        return " (HTTP " + h.getStatusCode() + ")";
      }
    }
    return "";
  }

  /**
   * The server's own description of the status, which says what is wrong (a missing permission, an
   * unknown project); the server never had the private key, so it cannot echo it.
   */
  private static String description(ApiException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.grpc.StatusRuntimeException s && s.getStatus().getDescription() != null) {
        String d = s.getStatus().getDescription().replaceAll("\\s+", " ").strip();
        return ": " + (d.length() > MAX_DESCRIPTION ? d.substring(0, MAX_DESCRIPTION) + "..." : d);
      }
    }
    return "";
  }

  private String where() {
    return "Cloud Logging (" + logName + " at " + factory.endpoint(config) + ")";
  }

  private LoggingConnection connection() throws DeliveryException {
    closeGuard.checkOpen(logName);
    if (!context.allowLocalNetwork()) {
      if (config.plaintext()) {
        // Saved while the host allowed it; the host's current policy is what counts.
        throw DeliveryException.permanent("plaintext Cloud Logging destinations are refused unless the streamer is"
            + " built with allowLocalNetwork(true)");
      }
      // Before every delivery, not once: what a name resolves to can change after it was saved.
      if (config.endpointHost().isPresent()) {
        NetworkAddressPolicy.check(config.endpointHost().get(), context.connectTimeout(), context.hostResolver());
      }
      if (config.tokenServerUri().isPresent()) {
        NetworkAddressPolicy.check(config.tokenServerUri().get().getHost(), context.connectTimeout(),
            context.hostResolver());
      }
    }
    synchronized (lock) {
      // Again under the lock: close() takes the connection under it after marking the sink closed,
      // so no connection made here can outlive the sink.
      closeGuard.checkOpen(logName);
      if (connection == null) {
        try {
          connection = factory.create(config, context);
        } catch (io.auditstream.api.ValidationException e) {
          // A stored key that no longer reads; its message never quotes the key.
          throw DeliveryException.permanent("cannot write to " + logName + ": " + e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
          throw DeliveryException.retryable("could not create the Cloud Logging client for " + logName + ": "
              + e.getClass().getSimpleName());
        }
      }
      return connection;
    }
  }

  /** Shuts the client and its channel down, waiting at most a few seconds. Idempotent; never throws. */
  @Override
  public void close() {
    if (!closeGuard.markClosed()) {
      return;
    }
    LoggingConnection toClose;
    synchronized (lock) {
      toClose = connection;
      connection = null;
    }
    if (toClose != null) {
      toClose.close(CLOSE_WAIT);
    }
  }

  /** The client made and not yet shut down, or null; for tests. */
  LoggingConnection currentConnection() {
    synchronized (lock) {
      return connection;
    }
  }

  @Override
  public String toString() {
    return "GcpLoggingSink{logName=" + logName + ", endpoint=" + factory.endpoint(config) + "}";
  }
}
