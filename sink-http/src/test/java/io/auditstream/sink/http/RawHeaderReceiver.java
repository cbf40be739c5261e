package io.auditstream.sink.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver on loopback that keeps every request's header lines exactly as their bytes arrived (each
 * byte read as one ISO-8859-1 character, so a changed or replaced character shows), and answers 200.
 * Unlike a full server, it never normalises what it reads. Serves every connection on a thread of its
 * own, each with any number of requests; every read times out after 10 seconds.
 */
final class RawHeaderReceiver implements AutoCloseable {
  /** One request's header fields: lower-case name to the values, as sent, without surrounding spaces. */
  record Request(Map<String, List<String>> headers, byte[] body) {
    /** The values of header {@code name} (any case). */
    List<String> values(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  private final ServerSocket socket;
  private final Thread acceptor;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  RawHeaderReceiver() throws IOException {
    socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "raw-header-receiver");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + path;
  }

  List<Request> requests() {
    return requests;
  }

  private void serve() {
    while (!socket.isClosed()) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return;
      }
      // A thread per connection: a client may keep an idle connection open while it opens another.
      Thread t = new Thread(() -> converse(s), "raw-header-connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void converse(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (readRequest(in)) {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (SocketTimeoutException e) {
      // The client kept an idle connection open: nothing more to read.
    } catch (IOException e) {
      // The client went away.
    }
  }

  /** Reads one request; false at the end of the connection. */
  private boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, List<String>> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String value = lines[i].substring(colon + 1).replaceAll("^[ \t]+|[ \t]+$", "");
        headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(value);
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).get(0));
    requests.add(new Request(headers, in.readNBytes(length)));
    return true;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
