package io.auditstream.sink.gcp;

import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.SinkContext;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gRPC name resolver of a Cloud Logging channel while local network destinations are refused:
 * it resolves the endpoint's host with the context's {@link SinkContext#hostResolver()} through
 * {@link NetworkAddressPolicy#check}, and hands the channel only the addresses that passed, so the
 * channel never resolves the name a second time (no DNS rebinding between the check and the
 * connection). gRPC asks again whenever a connection fails or ends, so every new connection is made
 * to freshly checked addresses. The channel's authority stays the endpoint's {@code host:port}, so TLS
 * still sends and verifies the host name.
 *
 * <p>A refused address is reported to the channel as {@code UNAVAILABLE} and kept as {@link
 * #refusal()}, so that the sink can fail the delivery permanently with the policy's message. Internal;
 * thread-safe.
 */
final class CheckedNameResolver extends NameResolver {
  /** The target scheme the channel is built with; the factory answers nothing else. */
  static final String SCHEME = "audit-stream-checked";

  private final String host;
  private final int port;
  private final String authority;
  private final SinkContext context;
  private final Executor executor;
  private final SynchronizationContext sync;
  private final AtomicReference<String> refusal;
  // Only touched in sync.
  private Listener2 listener;
  private boolean resolving;
  private boolean shutdown;

  private CheckedNameResolver(String host, int port, SinkContext context, Args args, AtomicReference<String> refusal) {
    this.host = host;
    this.port = port;
    this.authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    this.context = context;
    // The lookup blocks (up to the connect timeout): never on the channel's own serialising thread.
    Executor offload = args.getOffloadExecutor();
    this.executor = offload != null ? offload : r -> {
      Thread t = new Thread(r, "audit-stream-grpc-resolve");
      t.setDaemon(true);
      t.start();
    };
    this.sync = args.getSynchronizationContext();
    this.refusal = refusal;
  }

  /**
   * A factory of resolvers for {@code host} and {@code port}, whatever the target; all of them record
   * their last refusal in {@code refusal} (cleared by a resolution that passes).
   */
  static NameResolver.Factory factory(String host, int port, SinkContext context, AtomicReference<String> refusal) {
    return new NameResolver.Factory() {
      @Override
      public NameResolver newNameResolver(URI targetUri, Args args) {
        return SCHEME.equals(targetUri.getScheme()) ? new CheckedNameResolver(host, port, context, args, refusal) : null;
      }

      @Override
      public String getDefaultScheme() {
        return SCHEME;
      }
    };
  }

  @Override
  public String getServiceAuthority() {
    return authority;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
  }

  @Override
  public void refresh() {
    resolve();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  private void resolve() {
    if (resolving || shutdown) {
      return;
    }
    resolving = true;
    executor.execute(() -> {
      StatusOr<List<EquivalentAddressGroup>> outcome = lookUp();
      sync.execute(() -> {
        resolving = false;
        if (shutdown) {
          return;
        }
        if (outcome.hasValue()) {
          listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(outcome).build());
        } else {
          listener.onError(outcome.getStatus());
        }
      });
    });
  }

  private StatusOr<List<EquivalentAddressGroup>> lookUp() {
    try {
      List<InetAddress> checked = NetworkAddressPolicy.check(host, context.connectTimeout(), context.hostResolver());
      List<EquivalentAddressGroup> groups = new ArrayList<>(checked.size());
      for (InetAddress address : checked) {
        groups.add(new EquivalentAddressGroup(new InetSocketAddress(address, port)));
      }
      refusal.set(null);
      return StatusOr.fromValue(groups);
    } catch (DeliveryException e) {
      if (!e.isRetryable()) {
        refusal.set(e.getMessage());
      }
      // The policy's messages name the host and the refused address, never more of the destination.
      return StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(e.getMessage()));
    } catch (RuntimeException e) {
      return StatusOr.fromStatus(Status.UNAVAILABLE.withDescription("could not resolve destination host "
          + NetworkAddressPolicy.stripBrackets(host) + ": " + e.getClass().getSimpleName()));
    }
  }
}
