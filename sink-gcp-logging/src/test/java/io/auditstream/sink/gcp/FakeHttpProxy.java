package io.auditstream.sink.gcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on loopback for tests: it opens {@code CONNECT} tunnels to the target it is asked for
 * (resolving it with the JVM's resolver) and answers every plain request itself with {@code answer},
 * recording every request line it gets. Thread-safe; closing it ends its connections.
 */
final class FakeHttpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] answer;
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  FakeHttpProxy(byte[] answer) throws IOException {
    this.answer = answer;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptAll);
  }

  /** A selector that sends every URI through this proxy. */
  ProxySelector selector() {
    Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("127.0.0.1", server.getLocalPort()));
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return List.of(proxy);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // nothing to remember
      }
    };
  }

  /** The request line of every request it got, in order. */
  List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "fake-http-proxy");
    t.setDaemon(true);
    t.start();
  }

  private void acceptAll() {
    try {
      while (true) {
        Socket client = server.accept();
        sockets.add(client);
        daemon(() -> serve(client));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void serve(Socket client) {
    try {
      client.setSoTimeout(10_000);
      InputStream in = client.getInputStream();
      String head = head(in);
      String requestLine = head.substring(0, head.indexOf("\r\n"));
      requestLines.add(requestLine);
      OutputStream out = client.getOutputStream();
      if (requestLine.startsWith("CONNECT ")) {
        String target = requestLine.split(" ")[1];
        int colon = target.lastIndexOf(':');
        Socket upstream = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        sockets.add(upstream);
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        daemon(() -> pipe(upstream, client));
        pipe(client, upstream);
        return;
      }
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
        }
      }
      in.readNBytes(length);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(answer);
      out.flush();
      client.close();
    } catch (IOException | RuntimeException e) {
      // the test sees what was recorded
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the request head");
      }
      bytes.write(b);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // one side closed
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
