/**
 * Implementations of {@link io.auditstream.api.spi.DestinationStore} that the core ships: {@link
 * io.auditstream.core.store.InMemoryDestinationStore} for tests and start-up configuration, and
 * {@link io.auditstream.core.store.FileDestinationStore}, one JSON file that survives restarts (its
 * secrets encrypted under a key the host gives or a key file beside it: protect both).
 */
package io.auditstream.core.store;
