/**
 * A destination kind written the way a host writes its own, against the api alone: JSON lines
 * files, each event appended as one line signed with HMAC-SHA256.
 *
 * <ul>
 *   <li>{@link io.auditstream.examples.customsink.JsonLinesFileConfig}: the typed, immutable config
 *       (a path, and a write-only signing key) and its builder's rules;
 *   <li>{@link io.auditstream.examples.customsink.JsonLinesFileKind}: its contract with the engine
 *       (storage with the key apart, the key's write-only handling, the path's uniqueness in a
 *       group, the key being required on save, the artifact that delivers it);
 *   <li>{@link io.auditstream.examples.customsink.JsonLinesFileSinkProvider}: the sink, and the
 *       checks only the file system can make: every file stays inside the root folder the host
 *       gives, each top-level group inside its own sub-folder, with no {@code ..} and no symbolic
 *       link leading out.
 * </ul>
 *
 * <p>Both the kind and the provider are found through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.auditstream.api.destination.DestinationKind} and {@code
 * META-INF/services/io.auditstream.api.sink.SinkProvider}); nothing in the engine names them.
 */
package io.auditstream.examples.customsink;
