package io.auditstream.core;

import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.internal.DeliverySettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: the settings an {@link AuditStreamer.Builder} collects, as set (checked by {@link
 * StreamerParts#validate}), for {@link StreamerParts} to wire the streamer from. Mutable; confined to
 * the thread that builds.
 */
final class BuilderSettings {
  AccessPolicy accessPolicy;
  DestinationStore destinationStore;
  DeliveryQueue deliveryQueue;
  EventTypeCatalog eventTypeCatalog = EventTypeCatalog.anyType();
  RetryPolicy retryPolicy = RetryPolicy.defaults();
  DeliveryListener deliveryListener = DeliveryListener.NONE;
  DeliveryObserver deliveryObserver = DeliveryObserver.NONE;
  final SinkContext.Builder sinkContext = SinkContext.builder();
  int queueCapacity = AuditStreamer.DEFAULT_QUEUE_CAPACITY;
  int maxDestinationsPerKind = AuditStreamer.DEFAULT_MAX_DESTINATIONS_PER_KIND;
  int maxInFlightPerDestination = AuditStreamer.DEFAULT_MAX_IN_FLIGHT_PER_DESTINATION;
  int deliveryThreads = DeliverySettings.defaultDeliveryThreads();
  int maxEventBytes = AuditStreamer.DEFAULT_MAX_EVENT_BYTES;
  Duration closeTimeout = AuditStreamer.DEFAULT_CLOSE_TIMEOUT;
  Duration autoPauseAfter = AuditStreamer.DEFAULT_AUTO_PAUSE_AFTER;
  List<SinkProvider> sinkProviders;
  final List<SinkProvider> extraSinkProviders = new ArrayList<>();
  ClassLoader classLoader;
  Clock clock = Clock.systemUTC();
}
