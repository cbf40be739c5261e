package io.auditstream.sink.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.InstantiatingExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.cloud.logging.v2.LoggingSettings;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.SinkContext;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the {@link LoggingClient} of one destination: a gRPC channel of its own (TLS to Google's
 * endpoint or the configured one, or plaintext for a local test double), connected, while local
 * network destinations are refused, only to addresses that passed {@link
 * io.auditstream.api.sink.NetworkAddressPolicy} (see {@link CheckedNameResolver}), service-account
 * credentials scoped to {@value #SCOPE} whose token requests go through {@link TokenHttpTransport},
 * and call settings that bound every write by {@link SinkContext#requestTimeout()} and turn the
 * client's own retries and batching off (the engine retries; the sink batches).
 *
 * <p>Creating a client does no network I/O: the channel connects and the token is fetched on the
 * first write. Stateless and thread-safe.
 */
final class LoggingClientFactory {
  /** The only OAuth scope the sink asks for: writing log entries. */
  static final String SCOPE = "https://www.googleapis.com/auth/logging.write";

  // Null: the sink context's trust.
  private final ChannelCredentials tlsCredentials;

  /** With the sink context's trust for TLS: the JVM's trust anchors and the host's added certificates. */
  LoggingClientFactory() {
    this.tlsCredentials = null;
  }

  /** With {@code tlsCredentials} for TLS channels, for example a test's own trust anchor. */
  LoggingClientFactory(ChannelCredentials tlsCredentials) {
    this.tlsCredentials = Objects.requireNonNull(tlsCredentials, "tlsCredentials");
  }

  private ChannelCredentials tls(SinkContext context) {
    return tlsCredentials != null ? tlsCredentials
        : TlsChannelCredentials.newBuilder().trustManager(context.trustManager()).build();
  }

  /** The {@code host:port} the destination's client talks to. */
  String endpoint(GcpLoggingDestinationConfig config) {
    return config.endpoint().orElse(LoggingSettings.getDefaultEndpoint());
  }

  /**
   * A new client for {@code config}, which must hold a private key unless it is plaintext.
   *
   * @throws IOException when the client library cannot set itself up
   */
  LoggingConnection create(GcpLoggingDestinationConfig config, SinkContext context) throws IOException {
    String endpoint = endpoint(config);
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    ChannelCredentials credentials = config.plaintext() ? InsecureChannelCredentials.create() : tls(context);
    AtomicReference<String> addressRefusal = new AtomicReference<>();
    NettyChannelBuilder builder;
    if (context.allowLocalNetwork()) {
      builder = NettyChannelBuilder.forAddress(host, port, credentials);
    } else {
      // Connect only to addresses that passed the policy, looked up afresh for every new connection.
      builder = pinned(NettyChannelBuilder.forTarget(CheckedNameResolver.SCHEME + ":///endpoint", credentials),
          CheckedNameResolver.factory(host, port, context, addressRefusal));
    }
    ManagedChannel channel = builder
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            context.connectTimeout().toMillis()))
        .userAgent(context.userAgent())
        .build();
    try {
      LoggingSettings.Builder settings = LoggingSettings.newBuilder()
          .setEndpoint(endpoint)
          .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
          .setCredentialsProvider(credentials(config, context))
          // One thread is plenty: with retries and batching off it only runs timeouts.
          .setBackgroundExecutorProvider(InstantiatingExecutorProvider.newBuilder().setExecutorThreadCount(1).build());
      Duration timeout = context.requestTimeout();
      var write = settings.writeLogEntriesSettings();
      write.setRetryableCodes(Set.of())
          .setRetrySettings(write.getRetrySettings().toBuilder()
              .setMaxAttempts(1)
              .setTotalTimeoutDuration(timeout)
              .setInitialRpcTimeoutDuration(timeout)
              .setMaxRpcTimeoutDuration(timeout)
              .setRpcTimeoutMultiplier(1.0)
              .build())
          .setBatchingSettings(write.getBatchingSettings().toBuilder().setIsEnabled(false).build());
      return new LoggingConnection(LoggingClient.create(settings.build()), channel, addressRefusal);
    } catch (IOException | RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  @SuppressWarnings("deprecation") // The per-channel resolver factory is the only way to keep it off the global registry.
  private static NettyChannelBuilder pinned(NettyChannelBuilder builder, NameResolver.Factory resolvers) {
    return builder.nameResolverFactory(resolvers);
  }

  private static CredentialsProvider credentials(GcpLoggingDestinationConfig config, SinkContext context) {
    if (config.plaintext()) {
      return NoCredentialsProvider.create();
    }
    TokenHttpTransport transport = new TokenHttpTransport(context);
    ServiceAccountCredentials.Builder b = ServiceAccountCredentials.newBuilder()
        .setClientEmail(config.clientEmail())
        .setPrivateKey(PrivateKeyPem.parse(config.privateKey().value().orElseThrow(
            () -> new IllegalStateException("a Cloud Logging destination without a private key reached its sink"))))
        .setProjectId(config.googleProjectIdName())
        .setScopes(List.of(SCOPE))
        .setHttpTransportFactory(() -> transport)
        // The engine retries; the auth library's own retries would stretch a write past its timeout.
        .setDefaultRetriesEnabled(false);
    config.tokenServerUri().ifPresent(b::setTokenServerUri);
    return FixedCredentialsProvider.create(b.build());
  }
}
