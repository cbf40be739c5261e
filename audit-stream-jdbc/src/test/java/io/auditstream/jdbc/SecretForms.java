package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/** The forms a secret could be stored in by mistake: plain, JSON-escaped, base64 and URL-encoded. */
final class SecretForms {
  private SecretForms() {}

  static Set<String> of(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    forms.add(secret.replace("\n", "\\n"));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    return forms;
  }

  /** Asserts that {@code text} holds none of the secrets in any of their forms. */
  static void assertNoneIn(String text, String what, String... secrets) {
    for (String secret : secrets) {
      for (String form : of(secret)) {
        assertThat(text).as(what + " holds a secret (in one of its forms)").doesNotContain(form);
      }
    }
  }
}
