package io.auditstream.examples.customsink;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.CustomDestinationConfig;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Destinations of kind {@value #KIND}: each event is appended as one line of JSON to the file named
 * by the setting {@value #PATH}. Batches of up to 100 events are written with one write call. A
 * sink is used by one dispatcher thread at a time, so appends never interleave.
 */
public final class JsonLinesFileSinkProvider implements SinkProvider {
  public static final String KIND = "jsonl-file";
  public static final String PATH = "path";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void validate(DestinationConfig config) {
    String path = config instanceof CustomDestinationConfig c ? c.setting(PATH) : null;
    if (path == null || path.isBlank()) {
      throw new ValidationException("settings.path", "settings.path is required: the file to append events to");
    }
    try {
      Path.of(path);
    } catch (InvalidPathException e) {
      throw new ValidationException("settings.path", "settings.path must be a file path (" + e.getReason() + ")");
    }
  }

  @Override
  public Sink create(Destination destination, SinkContext context) {
    return new JsonLinesFileSink(Path.of(((CustomDestinationConfig) destination.config()).setting(PATH)));
  }

  private static final class JsonLinesFileSink implements Sink {
    private final Path file;

    JsonLinesFileSink(Path file) {
      this.file = file;
    }

    @Override
    public int maxBatchSize() {
      return 100;
    }

    @Override
    public void deliver(List<EncodedEvent> batch) throws DeliveryException {
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        for (EncodedEvent e : batch) {
          out.write(e.json());
          out.write('\n');
        }
      } catch (IOException e) {
        // A full disk or a missing folder may be fixed by an operator: worth retrying.
        throw DeliveryException.retryable("could not append to " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
