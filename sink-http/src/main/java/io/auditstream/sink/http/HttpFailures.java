package io.auditstream.sink.http;

import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.SinkContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a transport reported for one destination into the {@link DeliveryException} the engine
 * acts on: 408, 429 and 5xx, timeouts and I/O errors retryable (with the {@code Retry-After} wait
 * when the receiver gave one), 3xx, other 4xx, refused addresses and refused requests permanent.
 * Messages name the destination's host and port, never its path, query, user information, the token
 * or a header value. Internal; may change without notice. Immutable and thread-safe.
 */
final class HttpFailures {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);

  private final String hostForMessages;
  private final SinkContext context;
  private final Clock clock;

  HttpFailures(String hostForMessages, SinkContext context, Clock clock) {
    this.hostForMessages = hostForMessages;
    this.context = context;
    this.clock = clock;
  }

  /** The failure for a response with a status outside 2xx. */
  DeliveryException status(HttpTransportResponse response) {
    int status = response.statusCode();
    String prefix = "destination host " + hostForMessages + " answered HTTP " + status;
    if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
      Optional<Duration> retryAfter = response.retryAfter().flatMap(v -> RetryAfter.parse(v, clock.instant()));
      // DEBUG only: the engine logs failed deliveries once, knowing whether it will retry.
      LOG.debug("{}; retryable", prefix);
      return retryAfter.isPresent()
          ? DeliveryException.retryableAfter(prefix + "; retry after " + retryAfter.get().toSeconds() + " s",
              retryAfter.get())
          : DeliveryException.retryable(prefix);
    }
    LOG.debug("{}; permanent", prefix);
    if (status >= 300 && status < 400) {
      return DeliveryException.permanent(prefix + ": redirects are not followed (a redirect could lead into"
          + " the private network); set the destination URL to the final address");
    }
    return DeliveryException.permanent(prefix);
  }

  /** The failure for an exchange that ended in {@code error} (possibly wrapped), the sink being open. */
  DeliveryException error(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof DeliveryException e) {
      return e;
    }
    if (cause instanceof TimeoutException) {
      return timeout();
    }
    if (cause instanceof HttpTransportException e) {
      return transport(e);
    }
    if (cause instanceof CancellationException) {
      return DeliveryException.retryable("request to destination host " + hostForMessages + " was cancelled");
    }
    if (HttpTransportException.isTls(cause)) {
      return transport(HttpTransportException.tls(cause));
    }
    if (cause instanceof IOException) {
      return DeliveryException.retryable("I/O error delivering to destination host " + hostForMessages + ": "
          + HttpTransportException.safeDescription(cause));
    }
    return DeliveryException.retryable("unexpected error delivering to destination host " + hostForMessages
        + ": " + cause.getClass().getName());
  }

  private DeliveryException transport(HttpTransportException e) {
    switch (e.reason()) {
      case CONNECT_TIMEOUT:
        return DeliveryException.retryable("could not connect to destination host " + hostForMessages + " within "
            + context.connectTimeout().toMillis() + " ms");
      case CONNECT_FAILED:
        return DeliveryException.retryable("could not connect to destination host " + hostForMessages + ": "
            + e.getMessage());
      case REQUEST_TIMEOUT:
        return timeout();
      case UNRESOLVED_HOST:
      case REFUSED_ADDRESS:
        // The address policy's own message: it names the host, the refused address and the setting.
        String message = e.getMessage() != null ? e.getMessage() : "could not resolve destination host " + hostForMessages;
        return e.reason() == HttpTransportException.Reason.REFUSED_ADDRESS
            ? DeliveryException.permanent(message)
            : DeliveryException.retryable(message);
      case INVALID_REQUEST:
        return DeliveryException.permanent("request to destination host " + hostForMessages
            + " is refused by the HTTP client: " + e.getMessage());
      case CLOSED:
        return DeliveryException.retryable("the HTTP client of destination host " + hostForMessages
            + " was closed during the request");
      case TLS:
        return DeliveryException.retryable("TLS handshake with destination host " + hostForMessages + " failed: "
            + e.getMessage());
      case IO_ERROR:
      default:
        return DeliveryException.retryable("I/O error delivering to destination host " + hostForMessages + ": "
            + e.getMessage());
    }
  }

  /** No complete response within the request timeout. */
  DeliveryException timeout() {
    return DeliveryException.retryable("destination host " + hostForMessages + " did not answer within "
        + context.requestTimeout().toMillis() + " ms");
  }

  /** The calling thread was interrupted while it waited. */
  DeliveryException interrupted() {
    return DeliveryException.retryable("interrupted while delivering to destination host " + hostForMessages);
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
