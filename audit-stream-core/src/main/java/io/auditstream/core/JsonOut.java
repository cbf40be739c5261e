package io.auditstream.core;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Where {@link AuditEventJson} writes a payload: a {@link PlainJsonWriter} for the common case, or
 * Jackson's generator for the rest; one sequence of calls, so that both write the same JSON.
 */
interface JsonOut {
  void startObject();

  void endObject();

  void startArray();

  void endArray();

  void name(String name);

  /** A string, or null. */
  void string(String s);

  void number(long n);

  /** A number's text, written as it is. */
  void numberText(String text);

  void bool(boolean b);

  void nullValue();

  /** Jackson's generator as a {@link JsonOut}; its I/O errors come out unchecked. */
  static JsonOut of(JsonGenerator g) {
    return new JsonOut() {
      @Override
      public void startObject() {
        run(g::writeStartObject);
      }

      @Override
      public void endObject() {
        run(g::writeEndObject);
      }

      @Override
      public void startArray() {
        run(g::writeStartArray);
      }

      @Override
      public void endArray() {
        run(g::writeEndArray);
      }

      @Override
      public void name(String name) {
        run(() -> g.writeFieldName(name));
      }

      @Override
      public void string(String s) {
        run(() -> g.writeString(s));
      }

      @Override
      public void number(long n) {
        run(() -> g.writeNumber(n));
      }

      @Override
      public void numberText(String text) {
        run(() -> g.writeNumber(text));
      }

      @Override
      public void bool(boolean b) {
        run(() -> g.writeBoolean(b));
      }

      @Override
      public void nullValue() {
        run(g::writeNull);
      }
    };
  }

  /** A write of Jackson's generator. */
  interface Write {
    void run() throws IOException;
  }

  private static void run(Write w) {
    try {
      w.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
