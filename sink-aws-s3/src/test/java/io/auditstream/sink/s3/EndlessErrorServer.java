package io.auditstream.sink.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile S3 endpoint on loopback: it reads a request's headers, answers {@code 500} at once (before the
 * object, as a store rejects early) with a chunked body that starts as S3's error document and whose message
 * never ends, either as fast as the client takes it ({@link #flooding()}) or one byte at a time ({@link
 * #trickling()}). Counts the bytes it sent, so a test can tell whether the client stopped reading. Closing
 * it closes every connection.
 */
final class EndlessErrorServer implements AutoCloseable {
  private static final byte[] HEAD = ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] START = chunk("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<Error><Code>InternalError</Code><Message>");

  private final ServerSocket socket;
  private final byte[] chunk;
  private final Duration pause;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicLong sent = new AtomicLong();

  private EndlessErrorServer(byte[] chunk, Duration pause) throws IOException {
    this.chunk = chunk;
    this.pause = pause;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "endless-error-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Sends the message in 16 KiB chunks, as fast as the client reads them. */
  static EndlessErrorServer flooding() throws IOException {
    return new EndlessErrorServer(chunk("x".repeat(16 * 1024)), Duration.ZERO);
  }

  /** Sends the message one byte every 50 ms: never idle for a read timeout, never done. */
  static EndlessErrorServer trickling() throws IOException {
    return new EndlessErrorServer(chunk("x"), Duration.ofMillis(50));
  }

  private static byte[] chunk(String data) {
    return (Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The endpoint to give an S3 destination. */
  String endpoint() {
    return "http://127.0.0.1:" + socket.getLocalPort();
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
        Thread t = new Thread(() -> serve(s), "endless-error-connection");
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
      out.write(HEAD);
      out.write(START);
      out.flush();
      while (true) {
        out.write(chunk);
        out.flush();
        sent.addAndGet(chunk.length);
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

  /** Reads up to the blank line that ends the request's headers; the object is never asked for. */
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
