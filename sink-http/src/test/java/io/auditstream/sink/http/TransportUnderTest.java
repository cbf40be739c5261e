package io.auditstream.sink.http;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import java.time.Clock;

/**
 * The base of the sink's behaviour tests, which every transport runs: a subclass names the transport,
 * and the tests make their sinks with it.
 */
abstract class TransportUnderTest {
  /** The transport the sinks of this test use. */
  abstract HttpTransportProvider transportProvider();

  /** A provider of its own, whose sinks use {@link #transportProvider()}. */
  HttpSinkProvider provider(Clock clock) {
    return new HttpSinkProvider(transportProvider(), clock);
  }

  /** A provider of its own, whose sinks use {@link #transportProvider()}. */
  HttpSinkProvider provider() {
    return provider(Clock.systemUTC());
  }

  /** A sink of a provider of its own; closing it closes its transport. */
  Sink sink(HttpDestinationConfig config, SinkContext context) {
    return provider().create(SinkTestKit.destination(config), context);
  }
}
