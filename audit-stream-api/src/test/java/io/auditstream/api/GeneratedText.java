package io.auditstream.api;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Text for property tests: mostly text close to what a field accepts (so that accepted values are
 * tried too), mixed with any characters at all: control characters, line breaks, non-ASCII, lone
 * surrogates, and lengths around the usual limits.
 */
public final class GeneratedText {
  private GeneratedText() {}

  /** Characters that break rules: controls, separators, non-ASCII, surrogates. */
  public static final String TROUBLE = "\r\n\t\u0000\u001f\u007f\u0080\u00a0\u00ff\u0100\u20ac\u4e2d\ud800\udfff"
      + " /\\:;@?#%\"'<>[]{}.-_";

  /** Text of {@code alphabet} and sometimes a few troublesome characters, 0 to {@code maxLength} long. */
  public static Arbitrary<String> near(String alphabet, int maxLength) {
    Arbitrary<String> clean = Arbitraries.strings().withChars(alphabet.toCharArray()).ofMaxLength(maxLength);
    Arbitrary<String> dirty = Arbitraries.strings().withChars((alphabet + TROUBLE).toCharArray()).ofMaxLength(maxLength);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, clean), net.jqwik.api.Tuple.of(3, dirty), net.jqwik.api.Tuple.of(2, any(maxLength + 5)));
  }

  /** Any characters, surrogates and controls included, 0 to {@code maxLength} long. */
  public static Arbitrary<String> any(int maxLength) {
    return Arbitraries.strings().all().ofMaxLength(maxLength);
  }

  /** {@code prefix} followed by generated text, for values whose start must follow a pattern. */
  public static Arbitrary<String> after(String prefix, String alphabet, int maxLength) {
    return near(alphabet, maxLength).map(s -> prefix + s);
  }
}
