/**
 * HTTP streaming destinations: each audit event is POSTed, one per request, to the destination's
 * URL with the verification token, the event type and the destination's active custom headers, as
 * GitLab's group audit event streaming does; or, for a destination whose {@link
 * io.auditstream.api.destination.HttpBatching batching} is on, many events per request as NDJSON,
 * with a batch id that stays the same on every retry of the batch, and without the event type header.
 *
 * <p>Add this artifact ({@code io.auditstream:sink-http}) to the host application's runtime
 * classpath; the engine finds {@link io.auditstream.sink.http.HttpSinkProvider} through {@link
 * java.util.ServiceLoader}. It depends on the api module and the JDK's {@code java.net.http}
 * client only.
 *
 * <p>Requests go through an {@link io.auditstream.sink.http.HttpTransport}, shared by all sinks of a
 * provider: the JDK's client ({@link io.auditstream.sink.http.JdkHttpTransportProvider}) unless
 * another {@link io.auditstream.sink.http.HttpTransportProvider} is on the class path (for example
 * {@code io.auditstream:sink-http-apache5}) or given to the provider; see {@link
 * io.auditstream.sink.http.HttpTransportProvider} for the rule.
 *
 * <p>Unless the host allows local network destinations, the destination host is resolved and
 * loopback, private, link-local, carrier-grade NAT, unique-local, multicast and cloud-metadata
 * addresses are refused ({@link io.auditstream.api.sink.NetworkAddressPolicy}): before every request
 * on the JDK's client, and on every connection (to the checked address only) on a transport that
 * {@linkplain io.auditstream.sink.http.HttpTransport#connectsOnlyToCheckedAddresses() checks when it
 * connects}; so a DNS name that starts resolving to such an address after it was saved is refused too.
 */
package io.auditstream.sink.http;
