/**
 * The sink SPI: how events leave audit-stream. A {@link io.auditstream.api.sink.SinkProvider} per
 * destination kind is found through {@link java.util.ServiceLoader}; it creates one {@link
 * io.auditstream.api.sink.Sink} per destination, which the engine's dispatcher calls from its own
 * threads, never from the host's.
 */
package io.auditstream.api.sink;
