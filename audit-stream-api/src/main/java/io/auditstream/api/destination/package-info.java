/**
 * Streaming destinations as a group's Owners configure them: the common fields ({@link
 * io.auditstream.api.destination.Destination}), the settings of each kind ({@link
 * io.auditstream.api.destination.DestinationConfig}), the requests that create and change them, and
 * what the engine reports of their delivery ({@link io.auditstream.api.destination.DestinationStatus}
 * for Owners, {@link io.auditstream.api.destination.DestinationHealthView} for the host's operators).
 *
 * <p>Every kind of destination, built-in ({@code http}, {@code gcp}, {@code s3}) or written by a host,
 * implements one contract, {@link io.auditstream.api.destination.DestinationKind}: its config type,
 * its stored form with secrets apart ({@link io.auditstream.api.destination.StoredConfig}), its
 * uniqueness key in a group ({@link io.auditstream.api.destination.UniqueKey}), its write-only
 * secrets ({@link io.auditstream.api.destination.WriteOnlySecret}), its save-time rules and the
 * artifact that delivers it. Engines and stores work through that contract only ({@link
 * io.auditstream.api.destination.DestinationConfigs}, {@link
 * io.auditstream.api.destination.DestinationKinds}); a destination whose kind is not on the
 * classpath is kept as an {@link io.auditstream.api.destination.UnavailableDestinationConfig}.
 *
 * <p>All types here are immutable and validate themselves when built: an instance that exists
 * obeys the rules of the compatibility contract that concern it alone. Rules that need the rest of
 * the group (unique names and kind keys, limits, ownership) are enforced by the engine.
 */
package io.auditstream.api.destination;
