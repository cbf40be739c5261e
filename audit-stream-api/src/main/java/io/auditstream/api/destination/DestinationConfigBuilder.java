package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;

/**
 * A builder of a destination's config. {@link DestinationDraft} and {@link DestinationUpdate} accept
 * one in place of a built config, so that a config that breaks its rules and a name that breaks
 * its own are reported together, in one {@link ValidationException}.
 *
 * @param <C> the config it builds
 */
public interface DestinationConfigBuilder<C extends DestinationConfig> {
  /**
   * The config.
   *
   * @throws ValidationException naming every field that breaks a rule
   */
  C build();

  /**
   * The config {@code builder} builds, or null when it breaks a rule, whose violations then go to
   * {@code violations}: for callers that report them together with their own.
   */
  static DestinationConfig buildInto(DestinationConfigBuilder<?> builder, ValidationException.Collector violations) {
    try {
      return java.util.Objects.requireNonNull(builder.build(), "config");
    } catch (ValidationException e) {
      violations.addAll("", e);
      return null;
    }
  }
}
