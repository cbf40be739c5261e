/**
 * A custom sink written against the SPI alone: {@link
 * io.auditstream.examples.customsink.JsonLinesFileSinkProvider} appends each event as one JSON line to
 * a file. It is found through {@link java.util.ServiceLoader} by its entry in {@code
 * META-INF/services/io.auditstream.api.sink.SinkProvider}; nothing in the engine names it.
 */
package io.auditstream.examples.customsink;
