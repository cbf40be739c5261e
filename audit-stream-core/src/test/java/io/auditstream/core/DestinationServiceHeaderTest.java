package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.NotFoundException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import org.junit.jupiter.api.Test;

class DestinationServiceHeaderTest {
  private final ServiceFixture f = new ServiceFixture();
  private final Destination d = f.createHttp("https://a.example.com");

  private HttpDestinationConfig stored() {
    return (HttpDestinationConfig) f.store.find(d.id()).orElseThrow().config();
  }

  @Test
  void acceptsTwentyHeadersAndRejectsTheTwentyFirst() {
    for (int i = 0; i < 20; i++) {
      f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-H" + i, "v" + i));
    }
    assertThat(stored().headers()).hasSize(20);

    assertThatThrownBy(() -> f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-H20", "v")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("headers"))
        .hasMessageContaining("at most 20");
    assertThat(stored().headers()).hasSize(20);
  }

  @Test
  void rejectsHeaderWhoseKeyExistsIgnoringCase() {
    f.service.addHeader(OWNER, d.id(), HttpHeader.of("Authorization", "Bearer abc"));

    assertThatThrownBy(() -> f.service.addHeader(OWNER, d.id(), HttpHeader.of("AUTHORIZATION", "Bearer def")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unique")
        .hasMessageNotContaining("Bearer");
    assertThat(stored().headers()).hasSize(1);
  }

  @Test
  void keepsInactiveHeaderButDoesNotCountItAsActive() {
    f.service.addHeader(OWNER, d.id(), new HttpHeader("X-Off", "v", false));
    f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-On", "v"));

    assertThat(stored().headers()).extracting(HttpHeader::key).containsExactly("X-Off", "X-On");
    assertThat(stored().activeHeaders()).extracting(HttpHeader::key).containsExactly("X-On");
  }

  @Test
  void updatesHeaderFoundIgnoringCaseAndMayRenameIt() {
    f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-Team", "a"));

    f.service.updateHeader(OWNER, d.id(), "x-team", new HttpHeader("X-Squad", "b", false));

    assertThat(stored().headers()).containsExactly(new HttpHeader("X-Squad", "b", false));
  }

  @Test
  void rejectsRenamingHeaderToAnotherHeadersKey() {
    f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-A", "a"));
    f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-B", "b"));

    assertThatThrownBy(() -> f.service.updateHeader(OWNER, d.id(), "X-A", HttpHeader.of("x-b", "c")))
        .isInstanceOf(ValidationException.class);
    assertThat(stored().headers()).extracting(HttpHeader::key).containsExactly("X-A", "X-B");
  }

  @Test
  void removesHeaderAndReportsUnknownKeyAsNotFound() {
    f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-A", "a"));

    f.service.removeHeader(OWNER, d.id(), "x-a");

    assertThat(stored().headers()).isEmpty();
    assertThatThrownBy(() -> f.service.removeHeader(OWNER, d.id(), "X-A"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("X-A");
    assertThatThrownBy(() -> f.service.updateHeader(OWNER, d.id(), "X-Nope", HttpHeader.of("X-Nope", "v")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void rejectsHeaderChangesOnNonHttpDestination() {
    Destination c = f.createCustom();

    assertThatThrownBy(() -> f.service.addHeader(OWNER, c.id(), HttpHeader.of("X-A", "a")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("headers"));
    assertThatThrownBy(() -> f.service.updateHeader(OWNER, c.id(), "X-A", HttpHeader.of("X-A", "a")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> f.service.removeHeader(OWNER, c.id(), "X-A"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void toldDeliverySideAboutHeaderChange() {
    Destination changed = f.service.addHeader(OWNER, d.id(), HttpHeader.of("X-A", "a"));

    assertThat(f.delivery.saved).last().isEqualTo(changed);
  }
}
