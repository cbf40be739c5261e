package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A delivery queue that hands every call to another; tests extend it to change one call. The engine
 * takes it for a durable queue: it is not the in-memory queue itself, so the engine keeps (and does not
 * report) what it holds when it closes, as it would with a database.
 */
class ForwardingDeliveryQueue implements DeliveryQueue {
  final DeliveryQueue delegate;

  ForwardingDeliveryQueue(DeliveryQueue delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<Offer> offer(List<QueuedDelivery> deliveries) {
    return delegate.offer(deliveries);
  }

  @Override
  public List<QueuedDelivery> lease(DestinationId destination, int max, Instant now) {
    return delegate.lease(destination, max, now);
  }

  @Override
  public void remove(Collection<QueuedDelivery> delivered) {
    delegate.remove(delivered);
  }

  @Override
  public void reschedule(Collection<QueuedDelivery> failed) {
    delegate.reschedule(failed);
  }

  @Override
  public void deadLetter(Collection<QueuedDelivery> deliveries, Instant at, String reason) {
    delegate.deadLetter(deliveries, at, reason);
  }

  @Override
  public void release(Collection<QueuedDelivery> deliveries) {
    delegate.release(deliveries);
  }

  @Override
  public void releaseAllLeases() {
    delegate.releaseAllLeases();
  }

  @Override
  public int removeAll(DestinationId destination) {
    return delegate.removeAll(destination);
  }

  @Override
  public int size(DestinationId destination) {
    return delegate.size(destination);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Set<DestinationId> destinations() {
    return delegate.destinations();
  }

  @Override
  public Optional<Instant> nextDue(DestinationId destination) {
    return delegate.nextDue(destination);
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationId destination, int limit) {
    return delegate.deadLetters(destination, limit);
  }

  @Override
  public int deadLetterCount(DestinationId destination) {
    return delegate.deadLetterCount(destination);
  }

  @Override
  public int redeliver(DestinationId destination, Collection<String> eventIds, Instant now) {
    return delegate.redeliver(destination, eventIds, now);
  }

  @Override
  public int redeliverSince(DestinationId destination, Instant since, Instant now) {
    return delegate.redeliverSince(destination, since, now);
  }
}
