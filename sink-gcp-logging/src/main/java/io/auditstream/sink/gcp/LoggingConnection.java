package io.auditstream.sink.gcp;

import com.google.cloud.logging.v2.LoggingClient;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LoggingClient} together with the gRPC channel it was given: the client does not own a
 * channel handed to it, so both are shut down here. Thread-safe.
 */
final class LoggingConnection {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingConnection.class);

  private final LoggingClient client;
  private final ManagedChannel channel;
  private final AtomicReference<String> addressRefusal;

  /**
   * @param addressRefusal where the channel's name resolver puts the policy's message when it refuses
   *     the endpoint's addresses, and clears it when they pass
   */
  LoggingConnection(LoggingClient client, ManagedChannel channel, AtomicReference<String> addressRefusal) {
    this.client = client;
    this.channel = channel;
    this.addressRefusal = addressRefusal;
  }

  /**
   * The address policy's message when the channel's last lookup of the endpoint found a refused
   * address (the name now resolves elsewhere than when it was checked before the delivery).
   */
  Optional<String> addressRefusal() {
    return Optional.ofNullable(addressRefusal.get());
  }

  /**
   * The client, with the channel made to reconnect at once if its last connection attempt failed,
   * waiting at most {@code connectWait} for that attempt. gRPC would otherwise fail every call fast
   * until its own reconnect backoff (up to two minutes) runs out; the engine already spaces its
   * attempts, so each attempt should really try to connect.
   */
  LoggingClient client(Duration connectWait) throws InterruptedException {
    ConnectivityState state = channel.getState(false);
    if (state == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
      awaitConnectAttempt(state, connectWait);
    }
    return client;
  }

  private void awaitConnectAttempt(ConnectivityState from, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    ConnectivityState state = from;
    boolean connecting = false;
    while (state != ConnectivityState.READY && state != ConnectivityState.SHUTDOWN) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || (connecting && state == ConnectivityState.TRANSIENT_FAILURE)) {
        // Timed out, or the new attempt failed too: the call reports it.
        return;
      }
      connecting |= state == ConnectivityState.CONNECTING;
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      changed.await(left, TimeUnit.NANOSECONDS);
      state = channel.getState(false);
    }
  }

  /** Whether the channel has been shut down; for tests. */
  boolean isShutdown() {
    return channel.isShutdown() && client.isShutdown();
  }

  /** Cancels calls in flight and shuts both down, waiting at most {@code wait} for each. Never throws. */
  void close(Duration wait) {
    try {
      client.shutdownNow();
      channel.shutdownNow();
      if (!client.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)
          || !channel.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.debug("Cloud Logging client did not terminate within {}", wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("could not shut down a Cloud Logging client: {}", e.toString());
    }
  }
}
