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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP transport the service-account credentials fetch their OAuth tokens with, on {@code
 * java.net.http}. It exists so that every token request is bounded by the sink's own timeouts
 * (connect: {@link SinkContext#connectTimeout()}, whole exchange: {@link
 * SinkContext#requestTimeout()}); the auth library's default transport waits up to 20 seconds per
 * phase. Redirects are not followed, and unless local network destinations are allowed the token
 * host is checked against {@link NetworkAddressPolicy}, with the context's {@link
 * SinkContext#hostResolver()}, before every request.
 *
 * <p>Thread-safe.
 */
final class TokenHttpTransport extends HttpTransport {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

  private final SinkContext context;
  private final HttpClient client;

  TokenHttpTransport(SinkContext context) {
    this.context = context;
    this.client = HttpClient.newBuilder()
        .connectTimeout(context.connectTimeout())
        .sslContext(context.sslContext())
        // HTTP/1.1: no h2c upgrade dance for a plain-http token endpoint; token requests are tiny.
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
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
        throw new IOException(plain.get());
      }
      if (!context.allowLocalNetwork()) {
        try {
          NetworkAddressPolicy.check(uri.getHost(), context.connectTimeout(), context.hostResolver());
        } catch (DeliveryException e) {
          throw new IOException(e.getMessage());
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (getStreamingContent() != null) {
        getStreamingContent().writeTo(body);
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(uri)
          .timeout(context.requestTimeout())
          .method(method, body.size() == 0 && !"POST".equals(method) && !"PUT".equals(method)
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
          .setHeader("User-Agent", context.userAgent());
      for (String[] h : headers) {
        if (!RESTRICTED.contains(h[0].toLowerCase(Locale.ROOT)) && !h[0].equalsIgnoreCase("User-Agent")) {
          b.header(h[0], h[1]);
        }
      }
      if (getContentType() != null) {
        b.setHeader("Content-Type", getContentType());
      }
      if (getContentEncoding() != null) {
        b.setHeader("Content-Encoding", getContentEncoding());
      }
      CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      try {
        // HttpRequest.timeout() bounds the wait for headers only; this bounds the body too.
        return new Response(future.get(context.requestTimeout().toNanos(), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        future.cancel(true);
        throw new IOException("token endpoint " + NetworkAddressPolicy.hostForMessages(uri) + " did not answer within "
            + context.requestTimeout().toMillis() + " ms");
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while fetching a token");
      } catch (ExecutionException e) {
        throw new IOException("could not reach token endpoint " + NetworkAddressPolicy.hostForMessages(uri) + ": "
            + e.getCause().getClass().getSimpleName());
      }
    }
  }

  private static final class Response extends LowLevelHttpResponse {
    private final HttpResponse<byte[]> response;
    private final List<String[]> headers = new ArrayList<>();

    Response(HttpResponse<byte[]> response) {
      this.response = response;
      for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
        for (String v : e.getValue()) {
          headers.add(new String[] {e.getKey(), v});
        }
      }
    }

    @Override
    public InputStream getContent() {
      return new ByteArrayInputStream(response.body());
    }

    @Override
    public String getContentEncoding() {
      return response.headers().firstValue("Content-Encoding").orElse(null);
    }

    @Override
    public long getContentLength() {
      return response.body().length;
    }

    @Override
    public String getContentType() {
      return response.headers().firstValue("Content-Type").orElse(null);
    }

    @Override
    public String getStatusLine() {
      return "HTTP/1.1 " + response.statusCode();
    }

    @Override
    public int getStatusCode() {
      return response.statusCode();
    }

    @Override
    public String getReasonPhrase() {
      return null;
    }

    @Override
    public int getHeaderCount() {
      return headers.size();
    }

    @Override
    public String getHeaderName(int index) {
      return headers.get(index)[0];
    }

    @Override
    public String getHeaderValue(int index) {
      return headers.get(index)[1];
    }
  }
}
