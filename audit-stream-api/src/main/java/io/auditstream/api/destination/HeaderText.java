package io.auditstream.api.destination;

/**
 * The one rule for text that becomes the value of an HTTP header: what every HTTP transport the
 * library ships sends unchanged. Stateless and thread-safe.
 *
 * <p>The rule: visible ASCII ({@code 0x21} to {@code 0x7E}), with space and horizontal tab allowed
 * inside but not at either end. Why not more: HTTP itself (RFC 9110, {@code field-value}) also allows
 * the obsolete {@code 0x80} to {@code 0xFF} as opaque bytes, but the JDK's {@code java.net.http} client
 * refuses {@code 0xFF} and every character above it with an {@code IllegalArgumentException} (a
 * permanent delivery failure), Apache HttpClient 5 writes every character above {@code 0xFF} as {@code
 * ?}, and both write {@code 0x80} to {@code 0xFE} as one Latin-1 byte each, which a receiver that reads
 * UTF-8 cannot read as the text that was typed. A value outside the rule would therefore never be sent,
 * or arrive changed; it is refused when it is saved (a header value, a content type) or when the event
 * is built (its type and id) instead.
 *
 * <p>Messages built with {@link #describe} never show the value, which may be a credential.
 */
public final class HeaderText {
  private HeaderText() {}

  /** The rule, in words, for messages: {@code "<field> must be ..."}. */
  public static final String RULE =
      "visible ASCII characters, with spaces or tabs only between them";

  /**
   * Whether {@code text} follows the rule: non-empty, only visible ASCII, space and tab, and neither
   * starting nor ending with a space or tab.
   *
   * @return false for null or empty text
   */
  public static boolean isSendable(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean visible = c >= 0x21 && c <= 0x7e;
      boolean inside = (c == ' ' || c == '\t') && i > 0 && i < n - 1;
      if (!visible && !inside) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code text} breaks the rule, as the rest of a message after the field's name (for example
   * {@code "must not contain line breaks or other control characters"}); never shows the text.
   *
   * @param text text for which {@link #isSendable} is false
   */
  public static String describe(String text) {
    if (text == null || text.isEmpty()) {
      return "must not be empty";
    }
    boolean control = false;
    boolean nonAscii = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      control |= (c < 0x20 && c != '\t') || c == 0x7f;
      nonAscii |= c > 0x7f;
    }
    if (control) {
      return "must not contain line breaks or other control characters (allowed: " + RULE + ")";
    }
    if (nonAscii) {
      return "must contain only " + RULE + ": HTTP clients refuse or change other characters";
    }
    return "must not start or end with a space or tab (allowed: " + RULE + ")";
  }
}
