package io.auditstream.examples.customsink;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the sinks of JSON lines file destinations (kind {@value JsonLinesFileConfig#KIND}): each
 * event is appended to the destination's file as one signed JSON line (see {@link
 * JsonLinesFileSink}). Listed in {@code META-INF/services/io.auditstream.api.sink.SinkProvider};
 * nothing in the engine names it.
 *
 * <p>An example, not a product: it lets whoever manages a group's destinations append to any file the
 * host process may write. A host that offers such a kind would confine paths to a folder of its own
 * in {@link #validate}.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonLinesFileSinkProvider implements SinkProvider {
  /** Found through {@link java.util.ServiceLoader}. */
  public JsonLinesFileSinkProvider() {}

  @Override
  public DestinationKind<JsonLinesFileConfig> destinationKind() {
    return JsonLinesFileConfig.DESTINATION_KIND;
  }

  /**
   * Checks what only the file system can tell, when a destination is saved: the path's folder exists,
   * and the path is not itself a folder.
   *
   * @throws ValidationException on field {@code path}
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    Path file = JsonLinesFileConfig.DESTINATION_KIND.cast(config).file();
    Path folder = file.getParent();
    if (Files.isDirectory(file)) {
      throw new ValidationException("path", "path must name a file, not a folder (was '" + file + "')");
    }
    if (folder == null || !Files.isDirectory(folder)) {
      throw new ValidationException("path", "path must be in an existing folder (no folder '" + folder + "')");
    }
  }

  /** The sink of {@code destination}; touches no file until the first delivery. */
  @Override
  public Sink create(Destination destination, SinkContext context) {
    JsonLinesFileConfig config = JsonLinesFileConfig.DESTINATION_KIND.cast(destination.config());
    return new JsonLinesFileSink(config.file(), config.signingKey().value().orElse(null));
  }

  @Override
  public String toString() {
    return "JsonLinesFileSinkProvider{kind=" + kind() + "}";
  }
}
