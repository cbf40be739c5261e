package io.auditstream.benchmarks.e2e;

import io.auditstream.benchmarks.TypicalEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The end-to-end receiver, in a JVM of its own: a Jetty 12 server on loopback that answers 200 with an
 * empty body to every POST as fast as it can, counting requests, events, distinct event ids and the
 * emit-to-receipt latency of each event (a body of NDJSON lines, from a destination that batches, counts
 * each line as an event); and a second port that accepts connections and never answers (a destination
 * that hangs, for the isolation figure).
 *
 * <p>Control, on the same port: {@code GET /_stats} (counters as JSON), {@code GET /_mark} (latency
 * counted from now on), {@code GET /_reset}. Prints {@code ready port=<p> blackhole=<b>} once listening,
 * and stops by itself after {@code -Dreceiver.maxSeconds} seconds (default 3600), so a lost receiver never lingers.
 */
public final class ReceiverMain {
  private ReceiverMain() {}

  /** Starts the receiver; it takes no arguments. */
  public static void main(String[] args) throws Exception {
    ReceiverStats stats = new ReceiverStats();
    QueuedThreadPool threads = new QueuedThreadPool(64, 8);
    threads.setName("receiver");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(1024);
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    server.setHandler(new CountingHandler(stats));
    server.start();
    try (ServerSocket blackhole = new ServerSocket()) {
      blackhole.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      startBlackhole(blackhole);
      System.out.println("ready port=" + connector.getLocalPort() + " blackhole=" + blackhole.getLocalPort());
      System.out.flush();
      server.join(); // returns on stop
    }
  }

  static {
    // A receiver left behind by a killed orchestrator ends by itself.
    Thread reaper = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(Long.getLong("receiver.maxSeconds", 3600));
      } catch (InterruptedException e) {
        return;
      }
      System.exit(0);
    }, "receiver-reaper");
    reaper.setDaemon(true);
    reaper.start();
  }

  /** Accepts and holds connections, reading nothing and answering nothing. */
  private static void startBlackhole(ServerSocket socket) {
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          held.add(socket.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "blackhole");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Answers 200 to every POST after reading its body; serves the control paths. */
  private static final class CountingHandler extends Handler.Abstract {
    private final ReceiverStats stats;

    CountingHandler(ReceiverStats stats) {
      this.stats = stats;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = Request.getPathInContext(request);
      if (path.startsWith("/_")) {
        return control(path, response, callback);
      }
      ByteBuffer body = Content.Source.asByteBuffer(request);
      stats.record(body, TypicalEvent.nowMicros());
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      callback.succeeded();
      return true;
    }

    private boolean control(String path, Response response, Callback callback) {
      switch (path) {
        case "/_reset" -> stats.reset();
        case "/_mark" -> stats.mark();
        case "/_stats" -> { }
        default -> {
          response.setStatus(404);
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
          callback.succeeded();
          return true;
        }
      }
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(stats.json().getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}
