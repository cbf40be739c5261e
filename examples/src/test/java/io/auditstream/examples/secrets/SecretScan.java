package io.auditstream.examples.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The secrets of a test and every form in which a leak would show them: as they are, URL-encoded,
 * and in base64 (standard and URL-safe, at each of the three byte alignments a value can have inside
 * a longer encoded text, so a secret is found even inside an encoded header or body); raw key bytes
 * also in hexadecimal. {@link #findIn} reports each occurrence with its surroundings.
 */
final class SecretScan {
  /** Shorter forms would match by chance; every secret of the test is longer. */
  private static final int MIN_FORM_LENGTH = 12;
  private static final int MAX_REPORTED = 5;

  private final Map<String, String> forms = new LinkedHashMap<>();

  /** Adds {@code value} in every form, labelled {@code label} in reports. */
  SecretScan add(String label, String value) {
    addForm(label, value);
    addForm(label + " (URL-encoded)", URLEncoder.encode(value, StandardCharsets.UTF_8));
    addBytes(label, value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Adds raw key bytes: in hexadecimal and in base64 (the text form of a key is added with {@link #add}). */
  SecretScan addBytes(String label, byte[] bytes) {
    addForm(label + " (hex)", HexFormat.of().formatHex(bytes));
    addForm(label + " (HEX)", HexFormat.of().withUpperCase().formatHex(bytes));
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[shift + bytes.length];
      System.arraycopy(bytes, 0, shifted, shift, bytes.length);
      // The characters that hold only the value's bits: those after the shift's and before the last group.
      for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int from = shift == 0 ? 0 : (shift * 8 + 5) / 6;
        int to = encoded.length() - 3;
        if (to - from >= MIN_FORM_LENGTH) {
          addForm(label + " (base64, shift " + shift + ")", encoded.substring(from, to));
        }
      }
    }
    return this;
  }

  private void addForm(String label, String form) {
    if (form.length() < MIN_FORM_LENGTH) {
      throw new IllegalArgumentException(label + " is too short to be looked for reliably");
    }
    forms.putIfAbsent(form, label);
  }

  /** How many forms are looked for. */
  int size() {
    return forms.size();
  }

  /**
   * Where a form occurs in {@code text}, as {@code "<label> in <where>: <line>"}: every distinct line
   * start (so that each logger that leaks is named), at most {@value #MAX_REPORTED} per form.
   */
  List<String> findIn(String where, String text) {
    Set<String> found = new LinkedHashSet<>();
    for (Map.Entry<String, String> f : forms.entrySet()) {
      int reported = 0;
      for (int at = text.indexOf(f.getKey()); at >= 0 && reported < MAX_REPORTED;
          at = text.indexOf(f.getKey(), at + 1)) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        int lineEnd = text.indexOf('\n', at);
        String line = text.substring(Math.max(lineStart, at - 200), lineEnd < 0 ? text.length() : Math.min(lineEnd, at + 200));
        if (found.add(f.getValue() + " in " + where + ": " + line)) {
          reported++;
        }
      }
    }
    return new ArrayList<>(found);
  }
}
