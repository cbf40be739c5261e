package io.auditstream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on loopback that resets every connection it accepts (a TCP RST, not an orderly close),
 * for tests of how a sink handles a receiver that drops connections: either {@linkplain
 * #midRequest() while the request is still coming in}, or {@linkplain #midResponse(byte[]) after
 * the start of an answer}. It speaks no protocol; it only reads and writes bytes.
 *
 * <pre>{@code
 * try (ResettingServer server = ResettingServer.midRequest()) {
 *   // point a destination at http://127.0.0.1:<server.port()>/ and expect a retryable failure
 * }
 * }</pre>
 *
 * <p>Each test gets its own server. Thread-safe; {@link #close()} stops it and resets what is still
 * open.
 */
public final class ResettingServer implements AutoCloseable {
  /** How long the client must stay silent before the request counts as sent. */
  private static final int QUIET_MILLIS = 150;
  /** The most request bytes read before answering, however much the client sends. */
  private static final int MAX_READ = 1024 * 1024;

  private final ServerSocket socket;
  private final byte[] partialAnswer;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private ResettingServer(byte[] partialAnswer) throws IOException {
    this.partialAnswer = partialAnswer;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptAll, "resetting-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * A started server that reads the first bytes of each connection's request and then resets it,
   * without answering anything.
   *
   * @throws IOException when it cannot listen
   */
  public static ResettingServer midRequest() throws IOException {
    return new ResettingServer(null);
  }

  /**
   * A started server that reads each connection's request (until the client has sent nothing for a
   * moment), writes {@code partialAnswer}, for example a status line and headers that promise a body,
   * and then resets the connection.
   *
   * @throws IOException when it cannot listen
   * @throws NullPointerException when {@code partialAnswer} is null
   */
  public static ResettingServer midResponse(byte[] partialAnswer) throws IOException {
    return new ResettingServer(Arrays.copyOf(Objects.requireNonNull(partialAnswer, "partialAnswer"),
        partialAnswer.length));
  }

  /** The port it listens on, on the loopback address. */
  public int port() {
    return socket.getLocalPort();
  }

  /** How many connections it accepted (and reset) so far. */
  public int connections() {
    return connections.get();
  }

  private void acceptAll() {
    try {
      while (true) {
        Socket s = socket.accept();
        connections.incrementAndGet();
        open.add(s);
        Thread worker = new Thread(() -> reset(s), "resetting-server-connection");
        worker.setDaemon(true);
        worker.start();
      }
    } catch (IOException e) {
      // the server socket was closed
    }
  }

  private void reset(Socket s) {
    try {
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[8192];
      if (partialAnswer == null) {
        s.setSoTimeout(5_000);
        in.read(buffer, 0, 1);
      } else {
        s.setSoTimeout(QUIET_MILLIS);
        int total = 0;
        try {
          for (int n = in.read(buffer); n > 0 && total < MAX_READ; n = in.read(buffer)) {
            total += n;
          }
        } catch (SocketTimeoutException quiet) {
          // the client has sent its request and waits for the answer
        }
        s.getOutputStream().write(partialAnswer);
        s.getOutputStream().flush();
      }
    } catch (IOException e) {
      // the client went away first; resetting below is still right
    } finally {
      abort(s);
    }
  }

  private void abort(Socket s) {
    try {
      // Linger 0: close sends RST instead of FIN.
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // already closed
    }
    open.remove(s);
  }

  /** Stops listening and resets every connection still open. Never throws. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket s : open) {
      abort(s);
    }
  }
}
