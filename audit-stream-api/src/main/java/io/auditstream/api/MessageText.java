package io.auditstream.api;

/**
 * How a refused value is shown in a {@link ValidationException}'s message: shortened, and with every
 * character that could break or forge a log line written as a {@code \}{@code uXXXX} escape (control
 * characters, line and paragraph separators, surrogates). Only for values that are not secret: a
 * secret is never shown at all. Stateless and thread-safe.
 */
public final class MessageText {
  /** The most characters of a value a message shows; longer values end in {@code ...}. */
  public static final int MAX_SHOWN = 80;

  private MessageText() {}

  /**
   * {@code value} as a message may show it: at most {@value #MAX_SHOWN} of its characters, each that
   * could break a log line escaped; {@code null} for null.
   */
  public static String shown(String value) {
    if (value == null) {
      return "null";
    }
    int n = Math.min(value.length(), MAX_SHOWN);
    StringBuilder b = new StringBuilder(n + 8);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return value.length() > MAX_SHOWN ? b.append("...").toString() : b.toString();
  }
}
