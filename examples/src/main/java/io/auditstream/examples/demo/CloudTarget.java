package io.auditstream.examples.demo;

import io.auditstream.api.destination.DestinationDraft;
import java.util.List;

/**
 * A destination of the demo other than HTTP (an S3 bucket, a Cloud Logging log), built from its
 * command-line options and already validated, so that a bad value ends the demo before anything
 * is sent.
 */
interface CloudTarget {
  /** The destination to add as the group's Owner, with the demo's event-type filter. */
  DestinationDraft draft(List<String> eventTypeFilter);

  /** Where the demo says it streams to; names no secret. */
  String describe();
}
