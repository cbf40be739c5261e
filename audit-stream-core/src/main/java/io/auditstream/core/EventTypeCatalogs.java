package io.auditstream.core;

import io.auditstream.api.spi.EventTypeCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Ready-made {@link EventTypeCatalog}s. */
public final class EventTypeCatalogs {
  private EventTypeCatalogs() {}

  /**
   * Reads a catalog from CSV whose first column is the event type name, with a header row (the
   * shape of GitLab's list of audit event types: {@code name,feature_category,scope,...}). Blank
   * lines are skipped. Does not close {@code csv}.
   *
   * @throws UncheckedIOException when reading fails
   * @throws IllegalArgumentException when the CSV has no rows
   */
  public static EventTypeCatalog fromCsv(Reader csv) {
    Set<String> names = new LinkedHashSet<>();
    try {
      BufferedReader in = new BufferedReader(csv);
      String header = in.readLine();
      if (header == null) {
        throw new IllegalArgumentException("event type CSV is empty: expected a header row and one type per row");
      }
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String name = line.split(",", 2)[0].trim();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the event type CSV", e);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("event type CSV lists no event types");
    }
    return EventTypeCatalog.of(names);
  }
}
