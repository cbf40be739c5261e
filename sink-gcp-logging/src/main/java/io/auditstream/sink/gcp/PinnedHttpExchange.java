package io.auditstream.sink.gcp;

import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.TlsFailures;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request and its response over a connection of its own to an address chosen
 * beforehand: the token transport's way to connect only to the addresses that passed the network
 * policy, which {@code java.net.http} cannot do. Over {@code https} the TLS session still sends the
 * URI's host name (SNI) and verifies the certificate against it, with the context's trust material.
 *
 * <p>Bounded throughout: each connection attempt by {@link SinkContext#connectTimeout()}, the whole
 * exchange (connecting, TLS handshake, writing, reading) by {@link SinkContext#requestTimeout()}; the
 * response header section by {@value #MAX_HEADER_BYTES} bytes and its body by {@value #MAX_BODY_BYTES}
 * bytes (a token answer is well under 4 KiB). Redirects are not followed: a {@code 3xx} is returned as
 * it came. {@code Connection: close}, so no connection is ever reused for another address. Messages
 * name the URI's host and port only. Internal; stateless.
 */
final class PinnedHttpExchange {
  /** The most bytes of response body read; more fails the exchange. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** The most bytes of status line and headers read; more fails the exchange. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  /** A response: status, reason phrase, headers in the order received, and the whole body. */
  record Response(int status, String reason, List<String[]> headers, byte[] body) {
    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }
  }

  private PinnedHttpExchange() {}

  /**
   * Sends {@code method} to {@code uri} over a connection to the first of {@code addresses} that
   * accepts one, or through {@code proxy} when one is given, and reads the whole response.
   *
   * @param headers name and value pairs; none may hold a line break ({@code Host}, {@code Connection}
   *     and {@code Content-Length} are set here)
   * @param body the request body, or null for none
   * @param proxy an HTTP proxy to go through (a {@code CONNECT} tunnel for {@code https}), or null to
   *     connect to {@code addresses}; only for hosts that allow local network destinations, since the
   *     proxy resolves the name itself
   * @throws IOException when no address can be reached, the exchange outlasts the request timeout, a
   *     header cannot be sent, or the response is not HTTP/1.x or exceeds a bound
   */
  static Response exchange(URI uri, String method, List<String[]> headers, byte[] body, List<InetAddress> addresses,
      InetSocketAddress proxy, SinkContext context) throws IOException {
    long deadline = System.nanoTime() + context.requestTimeout().toNanos();
    String where = "token endpoint " + NetworkAddressPolicy.hostForMessages(uri);
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    String host = NetworkAddressPolicy.stripBrackets(uri.getHost());
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    byte[] request = request(uri, method, headers, body, host, port, tls, proxy != null && !tls);
    Socket socket = proxy == null ? connect(addresses, port, deadline, context, where)
        : connect(List.of(InetAddress.getByName(proxy.getHostString())), proxy.getPort(), deadline, context,
            "the proxy for " + where);
    try (socket) {
      Socket channel = socket;
      if (tls) {
        if (proxy != null) {
          tunnel(socket, host, port, deadline, context, where);
        }
        channel = handshake(socket, host, port, deadline, context, where);
      }
      try {
        OutputStream out = new BufferedOutputStream(channel.getOutputStream());
        out.write(request);
        out.flush();
        return read(new BufferedInputStream(new DeadlineInputStream(channel, deadline, context, where)), method, where);
      } catch (SocketException e) {
        // A reset or a broken pipe: the JDK's text adds nothing but may vary by platform.
        throw new TokenEndpointException(where + " reset the connection");
      }
    }
  }

  /** Asks the proxy on {@code socket} for a tunnel to {@code host:port}; returns once it stands. */
  private static void tunnel(Socket socket, String host, int port, long deadline, SinkContext context, String where)
      throws IOException {
    String target = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    OutputStream out = socket.getOutputStream();
    out.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    // Unbuffered: nothing past the proxy's header section may be consumed, the TLS handshake follows.
    InputStream in = new DeadlineInputStream(socket, deadline, context, where);
    int[] headerBytes = {0};
    int status = status(line(in, headerBytes, where), "the proxy for " + where);
    headers(in, headerBytes, where);
    if (status != 200) {
      throw new TokenEndpointException("the proxy refused a tunnel to " + where + " (HTTP " + status + ")");
    }
  }

  private static byte[] request(URI uri, String method, List<String[]> headers, byte[] body, String host, int port,
      boolean tls, boolean absolute) throws IOException {
    StringBuilder head = new StringBuilder();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (absolute) {
      // A plain request through a proxy names the whole target.
      path = "http://" + uri.getRawAuthority() + path;
    }
    head.append(method).append(' ').append(path).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        .append(" HTTP/1.1\r\n");
    String hostHeader = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    head.append("Host: ").append(hostHeader).append(port == (tls ? 443 : 80) ? "" : ":" + port).append("\r\n");
    for (String[] h : headers) {
      if (!sendable(h[0]) || h[0].isEmpty() || h[0].indexOf(':') >= 0 || !sendable(h[1])) {
        // Never quote the value: the request carries a signed assertion.
        throw new TokenEndpointException("token request header " + (sendable(h[0]) ? h[0] : "") + " cannot be sent");
      }
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    int length = body == null ? 0 : body.length;
    if (length > 0 || "POST".equals(method) || "PUT".equals(method)) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + length);
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      bytes.writeBytes(body);
    }
    return bytes.toByteArray();
  }

  private static boolean sendable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  private static Socket connect(List<InetAddress> addresses, int port, long deadline, SinkContext context,
      String where) throws IOException {
    IOException last = null;
    for (InetAddress address : addresses) {
      long left = remainingMillis(deadline, context, where);
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(address, port), (int) Math.min(left, context.connectTimeout().toMillis()));
        return socket;
      } catch (IOException e) {
        socket.close();
        last = e;
      }
    }
    if (last instanceof SocketTimeoutException) {
      throw new TokenEndpointException("could not connect to " + where + " within " + context.connectTimeout().toMillis() + " ms");
    }
    throw new TokenEndpointException("could not reach " + where + ": " + (last == null ? "no address" : last.getClass().getSimpleName()));
  }

  private static Socket handshake(Socket socket, String host, int port, long deadline, SinkContext context,
      String where) throws IOException {
    SSLSocket ssl = (SSLSocket) context.sslContext().getSocketFactory().createSocket(socket, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    // The certificate must name the host, although the socket went to an address chosen beforehand.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (NetworkAddressPolicy.parseLiteral(host).isEmpty()) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout((int) remainingMillis(deadline, context, where));
    try {
      ssl.startHandshake();
    } catch (SocketTimeoutException e) {
      throw timeout(context, where);
    } catch (IOException e) {
      // Worded as every other kind words it; a failure that is not TLS's own (a reset) by its class only.
      throw new TokenEndpointException("TLS handshake with " + where + " failed: "
          + TlsFailures.describe(e).orElse(e.getClass().getSimpleName()));
    }
    return ssl;
  }

  private static Response read(InputStream in, String method, String where) throws IOException {
    int[] headerBytes = {0};
    String statusLine;
    int status;
    do {
      statusLine = line(in, headerBytes, where);
      status = status(statusLine, where);
      List<String[]> headers = headers(in, headerBytes, where);
      if (status >= 200 || status == 101) {
        String reason = statusLine.length() > 13 ? statusLine.substring(13) : null;
        return new Response(status, reason, headers, body(in, method, status, headers, where));
      }
      // An interim answer (100 Continue): the final one follows.
    } while (true);
  }

  private static int status(String line, String where) throws IOException {
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new TokenEndpointException(where + " did not answer with HTTP/1.x");
    }
    try {
      return Integer.parseInt(line.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new TokenEndpointException(where + " answered with a malformed status line");
    }
  }

  private static List<String[]> headers(InputStream in, int[] headerBytes, String where) throws IOException {
    List<String[]> headers = new ArrayList<>();
    for (String line = line(in, headerBytes, where); !line.isEmpty(); line = line(in, headerBytes, where)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
      }
    }
    return headers;
  }

  private static byte[] body(InputStream in, String method, int status, List<String[]> headers, String where)
      throws IOException {
    Response probe = new Response(status, null, headers, null);
    if ("HEAD".equals(method) || status == 204 || status == 304) {
      return new byte[0];
    }
    String encoding = probe.header("Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return chunked(in, where);
    }
    String length = probe.header("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new TokenEndpointException(where + " answered with a malformed Content-Length");
      }
      if (n < 0 || n > MAX_BODY_BYTES) {
        throw tooLarge(where);
      }
      byte[] body = in.readNBytes((int) n);
      if (body.length < n) {
        throw new TokenEndpointException(where + " closed the connection before the end of its answer");
      }
      return body;
    }
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw tooLarge(where);
    }
    return body;
  }

  private static byte[] chunked(InputStream in, String where) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] lineBytes = {0};
    while (true) {
      String sizeLine = line(in, lineBytes, where);
      int semicolon = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
      } catch (NumberFormatException e) {
        throw new TokenEndpointException(where + " answered with a malformed chunk");
      }
      if (size == 0) {
        headers(in, lineBytes, where); // trailers
        return body.toByteArray();
      }
      if (size < 0 || body.size() + size > MAX_BODY_BYTES) {
        throw tooLarge(where);
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new TokenEndpointException(where + " closed the connection before the end of its answer");
      }
      body.writeBytes(chunk);
      line(in, lineBytes, where);
    }
  }

  /** A line without its CR LF; counts its bytes against {@link #MAX_HEADER_BYTES}. */
  private static String line(InputStream in, int[] counted, String where) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new TokenEndpointException(where + " closed the connection before the end of its answer");
      }
      if (++counted[0] > MAX_HEADER_BYTES) {
        throw new TokenEndpointException(where + " sent more than " + MAX_HEADER_BYTES + " bytes of headers");
      }
      line.append((char) b);
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  private static TokenEndpointException tooLarge(String where) {
    return new TokenEndpointException(where + " answered with a body larger than " + MAX_BODY_BYTES + " bytes");
  }

  private static TokenEndpointException timeout(SinkContext context, String where) {
    return new TokenEndpointException(where + " did not answer within " + context.requestTimeout().toMillis() + " ms");
  }

  private static long remainingMillis(long deadline, SinkContext context, String where) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw timeout(context, where);
    }
    return left;
  }

  /** Bounds every read by what is left of the exchange's deadline, so that a trickling answer ends too. */
  private static final class DeadlineInputStream extends FilterInputStream {
    private final Socket socket;
    private final long deadline;
    private final SinkContext context;
    private final String where;

    DeadlineInputStream(Socket socket, long deadline, SinkContext context, String where) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
      this.deadline = deadline;
      this.context = context;
      this.where = where;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis(deadline, context, where)));
      try {
        return super.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw timeout(context, where);
      }
    }
  }
}
