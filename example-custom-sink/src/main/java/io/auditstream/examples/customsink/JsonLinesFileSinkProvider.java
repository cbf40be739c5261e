package io.auditstream.examples.customsink;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Makes the sinks of JSON lines file destinations (kind {@value JsonLinesFileConfig#KIND}): each
 * event is appended to the destination's file as one signed JSON line (see {@link
 * JsonLinesFileSink}). Listed in {@code META-INF/services/io.auditstream.api.sink.SinkProvider};
 * nothing in the engine names it.
 *
 * <p>Whoever manages a group's destinations chooses the file, so the host decides where files may
 * be: a root folder, given to {@link #JsonLinesFileSinkProvider(Path)} (and that provider handed to
 * the streamer with {@code AuditStreamer.Builder.addSinkProvider}), or, for the provider that {@link
 * java.util.ServiceLoader} makes, named by the system property {@value #ROOT_PROPERTY}. Without a
 * root every destination of this kind is refused. Each top-level group writes only inside its own
 * folder {@code <root>/<group path>}; a destination's path is relative to that folder, or absolute
 * and inside it; {@code ..} is refused, and so is a symbolic link that leads out of the group's
 * folder, when the destination is saved and again before every write (see {@link GroupFolders}).
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonLinesFileSinkProvider implements SinkProvider {
  /**
   * The system property that names the root folder of the provider {@link java.util.ServiceLoader}
   * makes: an existing folder, read once when the provider is made.
   */
  public static final String ROOT_PROPERTY = "auditstream.jsonl-file.root";

  private final GroupFolders folders;
  private final String refusal;

  /**
   * The provider {@link java.util.ServiceLoader} finds: its root is the folder the system property
   * {@value #ROOT_PROPERTY} names. Without the property, or when it names no existing folder, the
   * provider refuses every destination of this kind, saying why.
   */
  public JsonLinesFileSinkProvider() {
    String property = System.getProperty(ROOT_PROPERTY);
    GroupFolders found = null;
    String why = null;
    if (property == null || property.isBlank()) {
      why = JsonLinesFileConfig.KIND + " destinations are turned off: the host gives them no folder (system property "
          + ROOT_PROPERTY + ")";
    } else {
      try {
        found = new GroupFolders(realFolder(Path.of(property)));
      } catch (IllegalArgumentException e) {
        // Also an InvalidPathException: a property no path can be made of.
        why = JsonLinesFileConfig.KIND + " destinations are turned off: the system property " + ROOT_PROPERTY
            + " names no existing folder";
      }
    }
    this.folders = found;
    this.refusal = why;
  }

  /**
   * A provider whose destinations write inside {@code root}, each top-level group in its own
   * sub-folder.
   *
   * @throws IllegalArgumentException when {@code root} is not an existing folder
   * @throws NullPointerException when {@code root} is null
   */
  public JsonLinesFileSinkProvider(Path root) {
    this.folders = new GroupFolders(realFolder(Objects.requireNonNull(root, "root")));
    this.refusal = null;
  }

  private static Path realFolder(Path root) {
    try {
      Path real = root.toRealPath();
      if (Files.isDirectory(real)) {
        return real;
      }
    } catch (IOException e) {
      // reported below, as a folder that does not exist
    }
    throw new IllegalArgumentException("the root of " + JsonLinesFileConfig.KIND + " destinations must be an existing"
        + " folder (was '" + root + "')");
  }

  @Override
  public DestinationKind<JsonLinesFileConfig> destinationKind() {
    return JsonLinesFileConfig.DESTINATION_KIND;
  }

  /**
   * Checks what only the host's folders and the file system can tell, when a destination is saved:
   * the host gave a root; the path stays inside the folder of the destination's group; it is not a
   * symbolic link nor a folder; its folder exists (except the group's own folder, which the first
   * write makes) and no link leads out of the group's folder.
   *
   * @throws ValidationException on field {@code path}
   */
  @Override
  public void validate(Destination destination, SinkContext context) {
    if (folders == null) {
      throw new ValidationException("path", refusal);
    }
    JsonLinesFileConfig config = JsonLinesFileConfig.DESTINATION_KIND.cast(destination.config());
    Path folder = folders.groupFolder(destination.groupPath());
    Path file = folders.fileOf(destination, config.path());
    folders.checkOnDisk(folder, file).ifPresent(message -> {
      throw new ValidationException("path", message);
    });
  }

  /**
   * Without the destination's group no path can be checked: refuses when the host gave no root, and
   * otherwise leaves the checks to {@link #validate(Destination, SinkContext)}, which the engine calls.
   *
   * @throws ValidationException on field {@code path} when the host gave no root
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    if (folders == null) {
      throw new ValidationException("path", refusal);
    }
  }

  /**
   * The sink of {@code destination}; touches no file until the first delivery. A destination this
   * provider cannot serve (no root, or a path outside its group's folder, saved under other rules)
   * gets a sink whose every delivery fails for good, saying why.
   */
  @Override
  public Sink create(Destination destination, SinkContext context) {
    JsonLinesFileConfig config = JsonLinesFileConfig.DESTINATION_KIND.cast(destination.config());
    if (folders == null) {
      return JsonLinesFileSink.refusing(refusal);
    }
    Path file;
    try {
      file = folders.fileOf(destination, config.path());
    } catch (ValidationException e) {
      return JsonLinesFileSink.refusing(e.getMessage());
    }
    return new JsonLinesFileSink(folders, folders.groupFolder(destination.groupPath()), file,
        config.signingKey().value().orElse(null));
  }

  @Override
  public String toString() {
    return "JsonLinesFileSinkProvider{kind=" + kind() + ", root=" + (folders == null ? "none" : folders.root()) + "}";
  }
}
