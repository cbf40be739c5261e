package io.auditstream.core;

import io.auditstream.api.LogText;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator, once per destination and rule, which stored destination breaks which rule that
 * this version added for new input, and what an Owner should change. Earlier versions stored such
 * destinations under looser rules; they are kept and still load (a name or paused reason as it is, a
 * config as an unavailable one that receives nothing), so this warning is how the operator learns of
 * them. Thread-safe.
 */
final class StoredRuleWarnings {
  private static final Logger log = LoggerFactory.getLogger(StoredRuleWarnings.class);

  private final SinkProviders sinks;
  // Every store read passes here: each finding is logged once per streamer, not once per read.
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  StoredRuleWarnings(SinkProviders sinks) {
    this.sinks = sinks;
  }

  /** Logs what {@code d} breaks, the first time it is seen; returns {@code d}. */
  Destination check(Destination d) {
    if (LogText.hasControlCharacters(d.name())) {
      warnOnce(d, "name", "name must not contain line breaks or other control characters",
          "rename it (it is kept, and shown escaped in logs, until then)");
    }
    d.pausedReason().filter(LogText::hasControlCharacters).ifPresent(reason -> warnOnce(d, "pausedReason",
        "pausedReason must not contain line breaks or other control characters",
        "resume it, or pause it again with a reason on one line"));
    sinks.brokenRules(d.config()).ifPresent(rules -> {
      for (ValidationException.Violation v : rules.violations()) {
        warnOnce(d, v.field(), v.message(), "save a config that follows it: until then its config is kept"
            + " unchanged, nothing is delivered to it and its deliveries become dead letters");
      }
    });
    return d;
  }

  private void warnOnce(Destination d, String field, String rule, String change) {
    if (warned.add(d.id().value() + '\n' + field + '\n' + rule)) {
      // The rule's message names the field and the rule, never a secret; every argument is escaped.
      log.warn("Destination {} ({}) of group {} was stored by an earlier version and breaks a rule of this"
              + " version: {}. An Owner should {}", LogText.escape(d.id().value()), LogText.escape(d.name()),
          LogText.escape(d.groupPath()), LogText.escape(rule), change);
    }
  }
}
