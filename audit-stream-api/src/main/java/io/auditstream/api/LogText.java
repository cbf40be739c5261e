package io.auditstream.api;

/**
 * Text someone typed (a destination's name, a pause reason, a filter value, a header key) or a host
 * supplied (an event id or type), made safe to put in a log line or an exception message: nothing in
 * it can end the line or start a forged one.
 *
 * <p>Line breaks and tabs become {@code \n}, {@code \r} and {@code \t}; every other C0 or C1 control
 * character, DEL, and the Unicode line and paragraph separators (U+2028, U+2029) become {@code
 * \}{@code uXXXX}; a backslash stays as it is. Everything else is kept, so ordinary text reads as
 * typed.
 */
public final class LogText {
  private LogText() {}

  /**
   * {@code text} with line breaks and other control characters escaped; {@code "null"} for null.
   * Thread-safe; never throws.
   */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (unsafe(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Whether {@code text} has a character {@link #escape} would change (a control character). */
  public static boolean hasControlCharacters(String text) {
    return text != null && firstUnsafe(text) >= 0;
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (unsafe(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean unsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
