package io.auditstream.sink.gcp;

import com.google.logging.v2.LogEntry;
import com.google.logging.v2.WriteLogEntriesRequest;
import com.google.logging.v2.WriteLogEntriesResponse;
import io.auditstream.testing.Await;
import io.grpc.Attributes;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Cloud Logging server on loopback for tests: a real gRPC server (Netty) that implements {@code
 * google.logging.v2.LoggingServiceV2/WriteLogEntries} from the protobuf messages alone, records
 * every request it accepts, can answer the next calls with a chosen status, and, when given a token
 * check, refuses calls whose {@code authorization} is not {@code Bearer <token it accepts>}. Like
 * Cloud Logging, it refuses a whole request with {@code INVALID_ARGUMENT} when one of its entries is
 * larger than {@value #MAX_ENTRY_BYTES} bytes.
 *
 * <p>Plaintext ({@link #plaintext()}) for tests of the plaintext mode and the demo, or TLS with a
 * test certificate ({@link #tls(ServerCredentials, Predicate)}) for the service-account flow, which
 * gRPC only runs over TLS. Thread-safe.
 */
public final class FakeCloudLogging implements AutoCloseable {
  /** The largest entry Cloud Logging takes: 256 KiB. */
  public static final int MAX_ENTRY_BYTES = 256 * 1024;
  /** The service's full name. */
  public static final String SERVICE = "google.logging.v2.LoggingServiceV2";
  /** The write method, built from the protobuf messages (no generated gRPC stubs needed). */
  public static final MethodDescriptor<WriteLogEntriesRequest, WriteLogEntriesResponse> WRITE_LOG_ENTRIES =
      MethodDescriptor.<WriteLogEntriesRequest, WriteLogEntriesResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "WriteLogEntries"))
          .setRequestMarshaller(ProtoUtils.marshaller(WriteLogEntriesRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(WriteLogEntriesResponse.getDefaultInstance()))
          .build();
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);

  private final ServerCredentials credentials;
  private final Predicate<String> tokenCheck;
  private final List<WriteLogEntriesRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> userAgents = new CopyOnWriteArrayList<>();
  private final Deque<Status> scripted = new ArrayDeque<>();
  private volatile int attempts;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Status always;
  private Server server;
  private int port;

  private FakeCloudLogging(ServerCredentials credentials, Predicate<String> tokenCheck) {
    this.credentials = credentials;
    this.tokenCheck = tokenCheck;
  }

  /** A started server without TLS and without any authorization check. */
  public static FakeCloudLogging plaintext() throws IOException {
    FakeCloudLogging f = new FakeCloudLogging(InsecureServerCredentials.create(), null);
    f.start(0);
    return f;
  }

  /** A started TLS server that accepts only bearer tokens that {@code tokenCheck} accepts. */
  public static FakeCloudLogging tls(ServerCredentials credentials, Predicate<String> tokenCheck) throws IOException {
    FakeCloudLogging f = new FakeCloudLogging(credentials, tokenCheck);
    f.start(0);
    return f;
  }

  private synchronized void start(int onPort) throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(WRITE_LOG_ENTRIES, ServerCalls.asyncUnaryCall((request, response) -> {
          attempts++;
          Status failure = nextFailure();
          if (failure == null) {
            failure = request.getEntriesList().stream().filter(e -> e.getSerializedSize() > MAX_ENTRY_BYTES).findFirst()
                .map(e -> Status.INVALID_ARGUMENT.withDescription("Log entry with size " + e.getSerializedSize()
                    + " bytes exceeds maximum size of " + MAX_ENTRY_BYTES + " bytes"))
                .orElse(null);
          }
          if (failure != null) {
            response.onError(failure.asRuntimeException());
            return;
          }
          requests.add(request);
          response.onNext(WriteLogEntriesResponse.getDefaultInstance());
          response.onCompleted();
        }))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), credentials)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .addService(ServerInterceptors.intercept(service, new Authorization()))
        .addTransportFilter(new ServerTransportFilter() {
          @Override
          public Attributes transportReady(Attributes attributes) {
            connections.incrementAndGet();
            return attributes;
          }
        })
        .build()
        .start();
    port = server.getPort();
  }

  private synchronized Status nextFailure() {
    if (!scripted.isEmpty()) {
      return scripted.poll();
    }
    return always;
  }

  /** {@code 127.0.0.1:<port>}, the destination's endpoint. */
  public synchronized String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** The next {@code times} calls fail with {@code code}. */
  public synchronized void failNext(Status.Code code, int times) {
    for (int i = 0; i < times; i++) {
      scripted.add(code.toStatus().withDescription("scripted " + code));
    }
  }

  /** Every call fails with {@code code} from now on; {@code null} stops that. */
  public void failAlways(Status.Code code) {
    always = code == null ? null : code.toStatus().withDescription("scripted " + code);
  }

  /** How many write calls reached the service (authorized), accepted or not. */
  public int attempts() {
    return attempts;
  }

  /** How many client connections were set up (TLS handshake included), whether they made calls or not. */
  public int connections() {
    return connections.get();
  }

  /** The write requests it accepted, in order. */
  public List<WriteLogEntriesRequest> requests() {
    return List.copyOf(requests);
  }

  /** Every entry of every accepted request, in order. */
  public List<LogEntry> entries() {
    return requests.stream().flatMap(r -> r.getEntriesList().stream()).toList();
  }

  /** The {@code authorization} metadata of every call, authorized or not ({@code ""} when absent). */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** The {@code user-agent} metadata of every call. */
  public List<String> userAgents() {
    return List.copyOf(userAgents);
  }

  /**
   * Waits until at least {@code n} entries were accepted.
   *
   * @throws AssertionError when fewer were accepted within {@code timeout}
   */
  public void awaitEntries(int n, Duration timeout) {
    Await.until(timeout, () -> entries().size() >= n, n + " accepted log entries");
  }

  /** Stops listening (calls in flight are cut off); {@link #restart()} listens on the same port again. */
  public synchronized void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Listens again on the port it had. */
  public synchronized void restart() throws IOException {
    start(port);
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records the metadata of every call and refuses the ones without an accepted bearer token. */
  private final class Authorization implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String authorization = headers.get(AUTHORIZATION);
      authorizations.add(authorization == null ? "" : authorization);
      String agent = headers.get(USER_AGENT);
      userAgents.add(agent == null ? "" : agent);
      if (tokenCheck != null && (authorization == null || !authorization.startsWith("Bearer ")
          || !tokenCheck.test(authorization.substring("Bearer ".length())))) {
        call.close(Status.UNAUTHENTICATED.withDescription("no valid bearer token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
