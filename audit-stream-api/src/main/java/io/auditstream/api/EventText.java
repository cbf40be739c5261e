package io.auditstream.api;

/**
 * The rules for an {@link AuditEvent}'s text: its {@code event_type} and {@code id}, which become HTTP
 * header values, object-key segments and log-entry ids, and every other string of the event, which must
 * be valid Unicode. Also the size, in bytes, that a string takes in the event's JSON form. Stateless and
 * thread-safe. Internal; may change without notice.
 */
final class EventText {
  private EventText() {}

  /** The characters an event type and an id may hold, in words. */
  static final String IDENTIFIER_CHARACTERS = "letters, digits, '_', '-' and '.', starting with a letter or digit";

  /**
   * Checks {@code eventType}: 1 to {@value AuditEvent#MAX_EVENT_TYPE_LENGTH} ASCII letters, digits,
   * {@code _}, {@code -} or {@code .}, starting with a letter or digit. GitLab's event types are lower
   * snake case ({@code user_created}); the rule keeps the value sendable as an HTTP header and as one
   * segment of an object key (no {@code /}, no {@code ..} segment, nothing a client changes).
   */
  static void checkEventType(ValidationException.Collector v, String eventType) {
    if (eventType == null || eventType.isBlank()) {
      v.add("event_type", "event_type is required");
    } else {
      checkIdentifier(v, "event_type", eventType, AuditEvent.MAX_EVENT_TYPE_LENGTH);
    }
  }

  /** Checks a given {@code id} as {@link #checkEventType} checks a type, up to {@value AuditEvent#MAX_ID_LENGTH}. */
  static void checkId(ValidationException.Collector v, String id) {
    if (id != null) {
      checkIdentifier(v, "id", id, AuditEvent.MAX_ID_LENGTH);
    }
  }

  private static void checkIdentifier(ValidationException.Collector v, String field, String text, int max) {
    if (text.isEmpty() || text.length() > max) {
      v.add(field, field + " must be 1 to " + max + " characters (was " + text.length() + ")");
      return;
    }
    boolean ok = isLetterOrDigit(text.charAt(0));
    for (int i = 1; ok && i < text.length(); i++) {
      char c = text.charAt(i);
      ok = isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }
    // The message names the rule only: the text may hold control characters.
    v.check(ok, field, field + " must contain only " + IDENTIFIER_CHARACTERS);
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * The most bytes {@code s} takes as a quoted JSON string in UTF-8 ({@code 4} for null, written as
   * {@code null}), after checking that it is valid Unicode.
   *
   * <p>Exact for what JSON writers escape in two bytes ({@code "} and {@code \}) and for characters
   * written as they are; every other control character counts six bytes ({@code \}{@code u00XX}), and a
   * character outside the Basic Multilingual Plane twelve (two such escapes), their longest forms.
   *
   * @param field the field a violation names
   * @param shown how the message names the field: a key of {@code details} may itself be personal data
   * @throws ValidationException naming {@code field} when {@code s} holds an unpaired surrogate: JSON can
   *     spell one ({@code \}{@code ud800}) but it is no character, and strict receivers refuse it
   */
  static long jsonBytes(String field, String shown, String s) {
    return jsonBytes(field, shown, s, false);
  }

  /**
   * {@link #jsonBytes(String, String, String)}, or for {@code stored} text (kept by an earlier version,
   * which allowed them) an unpaired surrogate counted as the six bytes of its escape instead of refused.
   */
  static long jsonBytes(String field, String shown, String s, boolean stored) {
    if (s == null) {
      return 4;
    }
    long bytes = 2;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        // Four bytes of UTF-8, or two escapes of six: JSON writers differ, so count the longer.
        bytes += 12;
        i++;
      } else if (Character.isSurrogate(c)) {
        if (stored) {
          bytes += 6;
          continue;
        }
        throw new ValidationException(field, shown
            + " must be valid Unicode text: it holds an unpaired surrogate (\\u" + Integer.toHexString(c) + ")");
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * The bytes of each free-text field as {@link #jsonBytes} counts them, from pairs of field name and
   * value; a field with an unpaired surrogate is recorded on {@code v} instead.
   */
  static long freeTextBytes(ValidationException.Collector v, boolean stored, String... namesAndValues) {
    long bytes = 0;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      try {
        bytes += jsonBytes(namesAndValues[i], namesAndValues[i], namesAndValues[i + 1], stored);
      } catch (ValidationException e) {
        v.addAll("", e);
      }
    }
    return bytes;
  }

  /** Whether {@code instant} lies in the years -999999999 to 999999999, which a timestamp can spell. */
  static boolean inTimestampRange(java.time.Instant instant) {
    try {
      instant.atOffset(java.time.ZoneOffset.UTC);
      return true;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }
}
