/**
 * AWS S3 streaming destinations (kind {@code s3}): each audit event is written as one JSON object
 * ({@code application/json}) to the destination's bucket, under the key {@code <entity type
 * lowercased>/<YYYY>/<MM>/<event_type>_<id>_<epoch millis>.json} ({@link
 * io.auditstream.sink.s3.S3ObjectKeys}), as GitLab's group audit event streaming does. A retried
 * event overwrites its own object, never adds another.
 *
 * <p>Add this artifact ({@code io.auditstream:sink-aws-s3}) to the host application's runtime
 * classpath; the engine finds {@link io.auditstream.sink.s3.S3SinkProvider} through {@link
 * java.util.ServiceLoader}. It depends on the api module and the AWS SDK for Java v2 {@code s3}
 * module over the SDK's Apache HttpClient 5 transport ({@code apache5-client}): no Netty.
 *
 * <p>An endpoint override with path-style access serves S3-compatible stores (MinIO, Ceph).
 * Unless the host allows local network destinations, such an endpoint is resolved before every
 * request and refused when it is a loopback, private, link-local, carrier-grade NAT, unique-local,
 * multicast or cloud-metadata address ({@link io.auditstream.api.sink.NetworkAddressPolicy}); the
 * client then connects only to the addresses that passed.
 */
package io.auditstream.sink.s3;
