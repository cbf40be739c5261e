package io.auditstream.sink.http;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request for an {@link HttpTransport} to send: method, URL, headers, body and the bound on the
 * whole exchange. Immutable, apart from the body array, which is shared and not copied (every
 * destination and every retry sends the same bytes): nobody may modify it.
 *
 * <p>Headers hold secrets (the verification token, {@code Authorization}): {@link #toString()}
 * shows only the method and the destination's host.
 */
public final class HttpTransportRequest {
  private final String method;
  private final URI uri;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Duration timeout;

  /**
   * A request.
   *
   * @param method the HTTP method, for example {@code POST}
   * @param uri an absolute {@code http} or {@code https} URL
   * @param headers names and values in the order to send them; no two names may differ only in case
   * @param body what to send as the body; not copied
   * @param timeout the bound on the exchange, from sending to the last byte of the response; positive
   * @throws NullPointerException when an argument, a header name or a header value is null
   * @throws IllegalArgumentException when {@code uri} is not absolute or {@code timeout} is not
   *     positive; the message never shows the URL or a header value
   */
  public HttpTransportRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
    this.method = Objects.requireNonNull(method, "method");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.body = Objects.requireNonNull(body, "body");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException("uri must be an absolute URL with a host");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be a positive duration (was " + timeout + ")");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers").forEach((name, value) ->
        copy.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "value of header " + name)));
    this.headers = Collections.unmodifiableMap(copy);
  }

  /** The HTTP method. */
  public String method() {
    return method;
  }

  /** The URL, with its query; it may hold credentials, so never put it in a message. */
  public URI uri() {
    return uri;
  }

  /** The headers to send, in order; unmodifiable. Values may be secrets. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body; the array itself, not a copy: do not modify it. */
  public byte[] body() {
    return body;
  }

  /** The bound on the exchange, from sending to the last byte of the response. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "HttpTransportRequest{" + method + " host=" + uri.getHost() + ", " + headers.size() + " headers, "
        + body.length + " bytes}";
  }
}
