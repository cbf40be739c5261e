/**
 * Streaming destinations as a group's Owners configure them: the common fields ({@link
 * io.auditstream.api.destination.Destination}), the settings of each kind ({@link
 * io.auditstream.api.destination.DestinationConfig}), and the requests that create and change them.
 *
 * <p>All types here are immutable and validate themselves when built: an instance that exists
 * obeys the rules of the compatibility contract that concern it alone. Rules that need the rest of
 * the group (unique names and URLs, limits, ownership) are enforced by the engine.
 */
package io.auditstream.api.destination;
