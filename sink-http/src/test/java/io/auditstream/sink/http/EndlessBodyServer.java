package io.auditstream.sink.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile receiver on loopback: it reads the request's headers, answers {@code 200} with a chunked body,
 * and then sends chunks as fast as the client takes them, never ending the body; or, {@linkplain
 * #endlessHeaders() made so}, sends header lines as fast as the client takes them, never ending the header
 * section. Counts the bytes it got rid of, so a test can tell whether the client stopped reading. Closing it
 * closes every connection.
 */
final class EndlessBodyServer implements AutoCloseable {
  private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNK;
  private static final byte[] STATUS_LINE = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADER_LINES =
      ("X-Filler: " + "x".repeat(1000) + "\r\n").repeat(16).getBytes(StandardCharsets.US_ASCII);

  static {
    byte[] data = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
    byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    CHUNK = new byte[size.length + data.length + 2];
    System.arraycopy(size, 0, CHUNK, 0, size.length);
    System.arraycopy(data, 0, CHUNK, size.length, data.length);
    CHUNK[CHUNK.length - 2] = '\r';
    CHUNK[CHUNK.length - 1] = '\n';
  }

  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final boolean headers;

  private EndlessBodyServer(boolean headers) throws IOException {
    this.headers = headers;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "endless-body-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static EndlessBodyServer start() throws IOException {
    return new EndlessBodyServer(false);
  }

  /** A server whose answers' header sections never end. */
  static EndlessBodyServer endlessHeaders() throws IOException {
    return new EndlessBodyServer(true);
  }

  String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + path;
  }

  /** Body bytes written so far, over every connection. */
  long sent() {
    return sent.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        held.add(s);
        Thread t = new Thread(() -> serve(s), "endless-body-connection");
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
      out.write(headers ? STATUS_LINE : HEAD);
      byte[] more = headers ? HEADER_LINES : CHUNK;
      while (true) {
        out.write(more);
        sent.addAndGet(more.length);
      }
    } catch (IOException e) {
      // The client closed the connection: what a client that gives up does.
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

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
