package io.auditstream.sink.gcp;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.SinkContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP transport the service-account credentials fetch their OAuth tokens with. It exists so that
 * every token request is bounded by the sink's own timeouts (connect: {@link
 * SinkContext#connectTimeout()}, whole exchange: {@link SinkContext#requestTimeout()}; the auth
 * library's default transport waits up to 20 seconds per phase) and goes only where the network policy
 * allows: unless local network destinations are allowed, the token host is checked against {@link
 * NetworkAddressPolicy}, with the context's {@link SinkContext#hostResolver()}, before every request,
 * and the request is sent over a connection to one of the addresses that passed ({@link
 * PinnedHttpExchange}), so the name is never resolved a second time. Redirects are not followed, the
 * answer's body is capped at {@value PinnedHttpExchange#MAX_BODY_BYTES} bytes, and the signed
 * assertion never travels over plain HTTP unless the host allows it. While local network
 * destinations are allowed (and only then: a proxy resolves the name itself), an HTTP proxy of the
 * JVM's settings ({@link ProxySelector#getDefault()}) is used, as the JDK's client would.
 *
 * <p>Thread-safe.
 */
final class TokenHttpTransport extends HttpTransport {
  /** Headers the exchange sets itself. */
  private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade",
      "transfer-encoding", "user-agent",
      // The answer must arrive as it is: a compressed one would be inflated past the cap by the library.
      "accept-encoding");
  /** Runs lookups while local network destinations are allowed, which the JDK's resolver cannot bound. */
  private static final Executor LOOKUPS = r -> {
    Thread t = new Thread(r, "audit-stream-token-dns");
    t.setDaemon(true);
    t.start();
  };

  private final SinkContext context;
  // Null: the JVM's default, looked up at each request.
  private final ProxySelector proxies;

  TokenHttpTransport(SinkContext context) {
    this(context, null);
  }

  /** With {@code proxies} instead of the JVM's default proxy selector; for tests. */
  TokenHttpTransport(SinkContext context, ProxySelector proxies) {
    this.context = context;
    this.proxies = proxies;
  }

  /**
   * The HTTP proxy the JVM's settings name for {@code uri}, only while local network destinations are
   * allowed: a proxy resolves the name itself, after the check, so it would undo the pinning.
   */
  private InetSocketAddress proxy(URI uri) {
    if (!context.allowLocalNetwork()) {
      return null;
    }
    ProxySelector selector = proxies != null ? proxies : ProxySelector.getDefault();
    if (selector == null) {
      return null;
    }
    for (Proxy p : selector.select(uri)) {
      if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress address) {
        return address;
      }
    }
    return null;
  }

  @Override
  public boolean supportsMethod(String method) {
    return true;
  }

  @Override
  protected LowLevelHttpRequest buildRequest(String method, String url) {
    // Before the client decides whether to log this exchange, which carries the assertion and the token.
    CredentialLogging.quietTokenExchange();
    return new Request(method, URI.create(url));
  }

  /** The addresses to connect to: those that passed the policy, or, when it is off, what the resolver says. */
  private List<InetAddress> addresses(URI uri) throws IOException {
    String host = NetworkAddressPolicy.stripBrackets(uri.getHost());
    if (!context.allowLocalNetwork()) {
      try {
        return NetworkAddressPolicy.check(host, context.connectTimeout(), context.hostResolver());
      } catch (DeliveryException e) {
        throw new TokenEndpointException(e.getMessage(), !e.isRetryable());
      }
    }
    Optional<InetAddress> literal = NetworkAddressPolicy.parseLiteral(host);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
    LOOKUPS.execute(() -> {
      try {
        lookup.complete(context.hostResolver().resolve(host));
      } catch (IOException | RuntimeException e) {
        lookup.completeExceptionally(e);
      }
    });
    try {
      List<InetAddress> found = lookup.get(context.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
      if (found == null || found.isEmpty()) {
        throw new TokenEndpointException("could not resolve token endpoint host " + host);
      }
      return found;
    } catch (ExecutionException | TimeoutException e) {
      throw new TokenEndpointException("could not resolve token endpoint host " + host);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching a token");
    }
  }

  private final class Request extends LowLevelHttpRequest {
    private final String method;
    private final URI uri;
    private final List<String[]> headers = new ArrayList<>();

    Request(String method, URI uri) {
      this.method = method;
      this.uri = uri;
    }

    @Override
    public void addHeader(String name, String value) {
      headers.add(new String[] {name, value});
    }

    @Override
    public LowLevelHttpResponse execute() throws IOException {
      Optional<String> plain = NetworkAddressPolicy.plainHttpRefusal("tokenServerUri", uri, GcpLoggingSink.TOKEN_CREDENTIALS,
          context);
      if (plain.isPresent()) {
        // Saved before the rule, or under other settings: the signed assertion must not leave in clear.
        throw new TokenEndpointException(plain.get(), true);
      }
      InetSocketAddress proxy = proxy(uri);
      List<InetAddress> addresses = proxy == null ? addresses(uri) : List.of();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (getStreamingContent() != null) {
        getStreamingContent().writeTo(body);
      }
      List<String[]> sent = new ArrayList<>();
      sent.add(new String[] {"User-Agent", context.userAgent()});
      for (String[] h : headers) {
        String name = h[0].toLowerCase(Locale.ROOT);
        if (!RESTRICTED.contains(name) && !name.equals("content-type") && !name.equals("content-encoding")) {
          sent.add(h);
        }
      }
      if (getContentType() != null) {
        sent.add(new String[] {"Content-Type", getContentType()});
      }
      if (getContentEncoding() != null) {
        sent.add(new String[] {"Content-Encoding", getContentEncoding()});
      }
      PinnedHttpExchange.Response response = PinnedHttpExchange.exchange(uri, method, sent, body.toByteArray(),
          addresses, proxy, context);
      String encoding = response.header("Content-Encoding");
      if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
        // Asked for none: a compressed answer could inflate far beyond the cap once decoded.
        throw new TokenEndpointException("token endpoint " + NetworkAddressPolicy.hostForMessages(uri)
            + " answered with a compressed body, which is not accepted");
      }
      return new Response(response);
    }
  }

  private static final class Response extends LowLevelHttpResponse {
    private final PinnedHttpExchange.Response response;

    Response(PinnedHttpExchange.Response response) {
      this.response = response;
    }

    @Override
    public InputStream getContent() {
      return new ByteArrayInputStream(response.body());
    }

    @Override
    public String getContentEncoding() {
      return response.header("Content-Encoding");
    }

    @Override
    public long getContentLength() {
      return response.body().length;
    }

    @Override
    public String getContentType() {
      return response.header("Content-Type");
    }

    @Override
    public String getStatusLine() {
      return "HTTP/1.1 " + response.status() + (response.reason() == null ? "" : " " + response.reason());
    }

    @Override
    public int getStatusCode() {
      return response.status();
    }

    @Override
    public String getReasonPhrase() {
      return response.reason();
    }

    @Override
    public int getHeaderCount() {
      return response.headers().size();
    }

    @Override
    public String getHeaderName(int index) {
      return response.headers().get(index)[0];
    }

    @Override
    public String getHeaderValue(int index) {
      return response.headers().get(index)[1];
    }
  }
}
