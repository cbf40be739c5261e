/**
 * Google Cloud Logging streaming destinations (kind {@code gcp}): add this module to the host's
 * classpath and {@link io.auditstream.sink.gcp.GcpLoggingSinkProvider} is found through {@link
 * java.util.ServiceLoader}. Each destination's sink writes one log entry per event with the official
 * {@code google-cloud-logging} client over gRPC, authenticated as the destination's service account.
 * Only the provider is public; everything else here is an implementation detail.
 */
package io.auditstream.sink.gcp;
