/**
 * HTTP streaming destinations: each audit event is POSTed, one per request, to the destination's
 * URL with the verification token, the event type and the destination's active custom headers, as
 * GitLab's group audit event streaming does.
 *
 * <p>Add this artifact ({@code io.auditstream:sink-http}) to the host application's runtime
 * classpath; the engine finds {@link io.auditstream.sink.http.HttpSinkProvider} through {@link
 * java.util.ServiceLoader}. It depends on the api module and the JDK's {@code java.net.http}
 * client only.
 *
 * <p>Unless the host allows local network destinations, every request first resolves the
 * destination host and refuses loopback, private, link-local, carrier-grade NAT, unique-local,
 * multicast and cloud-metadata addresses ({@link io.auditstream.api.sink.NetworkAddressPolicy}),
 * so a DNS name that starts resolving to such an address after it was saved is refused too.
 */
package io.auditstream.sink.http;
