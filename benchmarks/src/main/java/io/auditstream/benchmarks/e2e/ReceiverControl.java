package io.auditstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The sender's side of the receiver's control paths. Thread-safe. */
final class ReceiverControl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ReceiverControl(String base) {
    this.base = base;
  }

  /** The receiver's counters; see {@link ReceiverStats#json()}. */
  JsonNode stats() {
    return call("/_stats");
  }

  /** Counts latency from now on; returns the counters as they were. */
  JsonNode mark() {
    return call("/_mark");
  }

  /** Zeroes the counters. */
  JsonNode reset() {
    return call("/_reset");
  }

  private JsonNode call(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("receiver answered " + response.statusCode() + " to " + path);
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("receiver control " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
