/**
 * The sink SPI: how events leave audit-stream. A {@link io.auditstream.api.sink.SinkProvider} per
 * destination kind is found through {@link java.util.ServiceLoader}; it creates one {@link
 * io.auditstream.api.sink.Sink} per destination, which the engine's dispatcher calls from its own
 * threads, never from the host's.
 *
 * <p>What every sink shares, written once here for the built-in sinks and sinks of a host's own:
 * {@link io.auditstream.api.sink.NetworkAddressPolicy}, the local network check before each request
 * ({@code check}) and when a destination is saved ({@code validateHost}), which looks names up with
 * the {@link io.auditstream.api.sink.HostResolver} of the {@link io.auditstream.api.sink.SinkContext};
 * and {@link io.auditstream.api.sink.CloseGuard}, a sink's "is it closed" state and failures.
 */
package io.auditstream.api.sink;
