package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.NotFoundException;
import io.auditstream.api.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpDestinationConfigTest {
  private static void rejectsUrl(String url, String messagePart) {
    assertThatThrownBy(() -> HttpDestinationConfig.of(url))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
        .hasMessageContaining(messagePart);
  }

  @Test
  void defaultsToFormUrlEncodedContentType() {
    HttpDestinationConfig c = HttpDestinationConfig.of("https://a.example.com");

    assertThat(c.contentType()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(c.toBuilder().contentType("application/json").build().contentType()).isEqualTo("application/json");
    assertThat(c.toBuilder().contentType(null).build().contentType()).isEqualTo(HttpDestinationConfig.DEFAULT_CONTENT_TYPE);
  }

  @Test
  void rejectsContentTypeThatIsNotAMediaType() {
    assertThatThrownBy(() -> HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .contentType("json").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("contentType"));
    assertThat(HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .contentType("application/json; charset=utf-8").build().contentType()).contains("charset");
  }

  @Test
  void acceptsHttpAndHttpsOnly() {
    assertThat(HttpDestinationConfig.of("http://a.example.com").destinationUrl()).startsWith("http:");
    assertThat(HttpDestinationConfig.of("HTTPS://a.example.com").destinationUrl()).startsWith("HTTPS:");
    rejectsUrl("ftp://a.example.com", "http or https");
    rejectsUrl("file:///etc/passwd", "http or https");
    rejectsUrl("a.example.com/path", "http or https");
  }

  @Test
  void acceptsUrlOf255CharactersAndRejects256() {
    String prefix = "https://a.example.com/";
    assertThat(HttpDestinationConfig.of(prefix + "p".repeat(255 - prefix.length())).destinationUrl()).hasSize(255);
    rejectsUrl(prefix + "p".repeat(256 - prefix.length()), "at most 255");
  }

  @Test
  void rejectsUrlWithoutHostOrWithUserInfo() {
    rejectsUrl("https:///path", "host");
    rejectsUrl("https://user:pw@a.example.com", "user info");
    rejectsUrl("", "required");
    rejectsUrl("https://a.example.com/a b", "valid URL");
  }

  @Test
  void rejectsPortsOutsideOneTo65535() {
    rejectsUrl("https://a.example.com:0/", "port must be 1 to 65535 (was 0)");
    rejectsUrl("https://a.example.com:65536/", "port must be 1 to 65535 (was 65536)");
    rejectsUrl("https://a.example.com:99999/", "port must be 1 to 65535 (was 99999)");
    assertThat(HttpDestinationConfig.of("https://a.example.com:1/").destinationUrl()).contains(":1/");
    assertThat(HttpDestinationConfig.of("https://a.example.com:65535/").destinationUrl()).contains(":65535/");
  }

  @Test
  void acceptsTwentyHeadersAndRejectsTwentyOne() {
    HttpDestinationConfig.Builder b = HttpDestinationConfig.builder().destinationUrl("https://a.example.com");
    for (int i = 0; i < 20; i++) {
      b.header("X-H" + i, "v");
    }
    assertThat(b.build().headers()).hasSize(20);

    b.header("X-H20", "v");
    assertThatThrownBy(b::build)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("headers"));
  }

  @Test
  void rejectsDuplicateHeaderKeysIgnoringCase() {
    assertThatThrownBy(() -> HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .header("X-A", "1").header("x-a", "2").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("headers[1].key"));
  }

  @Test
  void replacesAndRemovesHeadersByKeyIgnoringCase() {
    HttpDestinationConfig c = HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .header("X-A", "1").header(new HttpHeader("X-B", "2", false)).build();

    HttpDestinationConfig replaced = c.toBuilder().replaceHeader("x-a", HttpHeader.of("X-A", "9")).build();
    assertThat(replaced.header("X-A")).contains(HttpHeader.of("X-A", "9"));
    assertThat(replaced.activeHeaders()).extracting(HttpHeader::key).containsExactly("X-A");
    assertThat(c.toBuilder().removeHeader("X-B").build().headers()).extracting(HttpHeader::key).containsExactly("X-A");
    assertThatThrownBy(() -> c.toBuilder().removeHeader("X-C")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void showsHeaderKeysButNotValuesInToString() {
    HttpDestinationConfig c = HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .header("Authorization", "Bearer hidden-value").build();

    assertThat(c.toString()).contains("Authorization").doesNotContain("hidden-value");
  }

  @Test
  void headersGivenAsArgumentsReplaceEarlierOnesAsTheListFormDoes() {
    HttpHeader team = HttpHeader.of("X-Team", "audit");
    HttpHeader env = new HttpHeader("X-Env", "prod", false);

    HttpDestinationConfig given = HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .header("X-Old", "gone").headers(team, env).build();

    assertThat(given.headers()).containsExactly(team, env);
    assertThat(given).isEqualTo(HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .headers(List.of(team, env)).build());
    assertThat(given.toBuilder().headers().build().headers()).isEmpty();
    assertThatThrownBy(() -> HttpDestinationConfig.builder().headers(team, null))
        .isInstanceOf(NullPointerException.class);
  }
}

