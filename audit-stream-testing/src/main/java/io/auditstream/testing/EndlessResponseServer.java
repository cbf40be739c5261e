package io.auditstream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile HTTP/1.1 receiver on loopback whose answers never end, for tests that a sink gives up within its
 * timeout and does not hold what the receiver sends: it reads a request's headers (never its body) and
 * answers with a status and a chunked body that goes on for ever, as fast as the client reads it ({@link
 * #floodingBody}) or a byte at a time ({@link #tricklingBody}), or with a header section that never ends
 * ({@link #endlessHeaders()}). It counts the bytes it got rid of, so that a test can tell whether the client
 * stopped reading.
 *
 * <pre>{@code
 * try (EndlessResponseServer receiver = EndlessResponseServer.floodingBody(200, "text/plain", "")) {
 *   // point a destination at receiver.url("/hook"); expect a retryable failure within the request timeout
 * }
 * }</pre>
 *
 * <p>Each test gets its own server. Thread-safe; {@link #close()} stops it and closes every connection.
 */
public final class EndlessResponseServer implements AutoCloseable {
  private final ServerSocket socket;
  private final byte[] head;
  private final byte[] more;
  private final Duration pause;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicLong sent = new AtomicLong();

  private EndlessResponseServer(byte[] head, byte[] more, Duration pause) throws IOException {
    this.head = head;
    this.more = more;
    this.pause = pause;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "endless-response-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * A started server that answers {@code status} with a chunked body of {@code contentType} that begins
   * with {@code start} and then goes on in 16 KiB chunks, as fast as the client reads them.
   *
   * @throws IOException when it cannot listen
   */
  public static EndlessResponseServer floodingBody(int status, String contentType, String start) throws IOException {
    return new EndlessResponseServer(head(status, contentType, start), chunk("x".repeat(16 * 1024)), Duration.ZERO);
  }

  /**
   * As {@link #floodingBody}, one byte every {@code pause}: never idle long enough for a read timeout, never
   * done.
   *
   * @throws IOException when it cannot listen
   */
  public static EndlessResponseServer tricklingBody(int status, String contentType, String start, Duration pause)
      throws IOException {
    return new EndlessResponseServer(head(status, contentType, start), chunk("x"), Objects.requireNonNull(pause));
  }

  /**
   * A started server that answers {@code 200} with a header section that never ends: lines of a kilobyte,
   * as fast as the client reads them.
   *
   * @throws IOException when it cannot listen
   */
  public static EndlessResponseServer endlessHeaders() throws IOException {
    byte[] lines = ("X-Filler: " + "x".repeat(1000) + "\r\n").repeat(16).getBytes(StandardCharsets.US_ASCII);
    return new EndlessResponseServer("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII), lines,
        Duration.ZERO);
  }

  private static byte[] head(int status, String contentType, String start) {
    String head = "HTTP/1.1 " + status + " Endless\r\nContent-Type: " + contentType
        + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    byte[] first = start.isEmpty() ? new byte[0] : chunk(start);
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + first.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(first, 0, out, h.length, first.length);
    return out;
  }

  private static byte[] chunk(String data) {
    return (Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The address of {@code path} on this server, over plain HTTP. */
  public String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + path;
  }

  /** The bytes written after each answer's start so far, over every connection. */
  public long sent() {
    return sent.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        held.add(s);
        Thread t = new Thread(() -> serve(s), "endless-response-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      skipHeaders(s.getInputStream());
      OutputStream out = s.getOutputStream();
      out.write(head);
      out.flush();
      while (true) {
        out.write(more);
        out.flush();
        sent.addAndGet(more.length);
        if (!pause.isZero()) {
          Thread.sleep(pause.toMillis());
        }
      }
    } catch (IOException e) {
      // The client closed the connection: what a client that gives up does.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads up to the blank line that ends the request's headers; the body is left unread. */
  private static void skipHeaders(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < end.length && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
