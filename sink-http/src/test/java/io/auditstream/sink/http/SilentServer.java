package io.auditstream.sink.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on loopback that accepts connections, reads nothing and never answers: the receiver that
 * only a request timeout can give up on. Closing it closes every connection it holds.
 */
final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private SilentServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static SilentServer start() throws IOException {
    return new SilentServer();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** How many connections it accepted. */
  int accepted() {
    return held.size();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        held.add(socket.accept());
      } catch (IOException e) {
        return;
      }
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
