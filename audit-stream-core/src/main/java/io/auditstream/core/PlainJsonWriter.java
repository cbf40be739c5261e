package io.auditstream.core;

import java.util.Arrays;

/**
 * Writes the common case of a payload without a JSON library: every string and key made of printable
 * ASCII that needs no escape (no {@code "} and no {@code \}), which is written byte for byte as Jackson
 * writes it. Anything else makes the writer give up ({@link #plain} false) and {@link AuditEventJson}
 * writes the event with Jackson, so the bytes never depend on which path wrote them.
 *
 * <p>Not thread-safe: one writer per encoding.
 */
final class PlainJsonWriter implements JsonOut {
  private byte[] buf;
  private int len;
  private boolean plain = true;
  private boolean first = true;

  PlainJsonWriter(int capacity) {
    buf = new byte[capacity];
  }

  /** Whether everything written so far was plain, so that {@link #toBytes} is the payload. */
  boolean plain() {
    return plain;
  }

  byte[] toBytes() {
    return Arrays.copyOf(buf, len);
  }

  @Override
  public void startObject() {
    comma();
    put((byte) '{');
    first = true;
  }

  @Override
  public void endObject() {
    put((byte) '}');
    first = false;
  }

  @Override
  public void startArray() {
    comma();
    put((byte) '[');
    first = true;
  }

  @Override
  public void endArray() {
    put((byte) ']');
    first = false;
  }

  @Override
  public void name(String name) {
    comma();
    quoted(name);
    put((byte) ':');
    first = true;
  }

  @Override
  public void string(String s) {
    comma();
    if (s == null) {
      ascii("null");
    } else {
      quoted(s);
    }
  }

  @Override
  public void number(long n) {
    comma();
    ascii(Long.toString(n));
  }

  @Override
  public void numberText(String text) {
    comma();
    ascii(text);
  }

  @Override
  public void bool(boolean b) {
    comma();
    ascii(b ? "true" : "false");
  }

  @Override
  public void nullValue() {
    comma();
    ascii("null");
  }

  private void comma() {
    if (!first) {
      put((byte) ',');
    }
    first = false;
  }

  private void quoted(String s) {
    int n = s.length();
    ensure(n + 2);
    // Locals rather than the fields: this loop writes most of a payload's bytes.
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        plain = false;
        len = p;
        return;
      }
      b[p++] = (byte) c;
    }
    b[p++] = '"';
    len = p;
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
