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

  // Header edits are config edits: one atomic step each, through DestinationService.updateConfig.
  private Destination addHeader(io.auditstream.api.Actor actor, io.auditstream.api.destination.DestinationId id,
      HttpHeader header) {
    return f.service.updateConfig(actor, id, HttpDestinationConfig.class, c -> c.toBuilder().header(header).build());
  }

  private Destination updateHeader(io.auditstream.api.Actor actor, io.auditstream.api.destination.DestinationId id,
      String key, HttpHeader header) {
    return f.service.updateConfig(actor, id, HttpDestinationConfig.class,
        c -> c.toBuilder().replaceHeader(key, header).build());
  }

  private Destination removeHeader(io.auditstream.api.Actor actor, io.auditstream.api.destination.DestinationId id,
      String key) {
    return f.service.updateConfig(actor, id, HttpDestinationConfig.class, c -> c.toBuilder().removeHeader(key).build());
  }

  private HttpDestinationConfig stored() {
    return (HttpDestinationConfig) f.store.find(d.id()).orElseThrow().config();
  }

  @Test
  void acceptsTwentyHeadersAndRejectsTheTwentyFirst() {
    for (int i = 0; i < 20; i++) {
      addHeader(OWNER, d.id(), HttpHeader.of("X-H" + i, "v" + i));
    }
    assertThat(stored().headers()).hasSize(20);

    assertThatThrownBy(() -> addHeader(OWNER, d.id(), HttpHeader.of("X-H20", "v")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("headers"))
        .hasMessageContaining("at most 20");
    assertThat(stored().headers()).hasSize(20);
  }

  @Test
  void rejectsHeaderWhoseKeyExistsIgnoringCase() {
    addHeader(OWNER, d.id(), HttpHeader.of("Authorization", "Bearer abc"));

    assertThatThrownBy(() -> addHeader(OWNER, d.id(), HttpHeader.of("AUTHORIZATION", "Bearer def")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unique")
        .hasMessageNotContaining("Bearer");
    assertThat(stored().headers()).hasSize(1);
  }

  @Test
  void keepsInactiveHeaderButDoesNotCountItAsActive() {
    addHeader(OWNER, d.id(), new HttpHeader("X-Off", "v", false));
    addHeader(OWNER, d.id(), HttpHeader.of("X-On", "v"));

    assertThat(stored().headers()).extracting(HttpHeader::key).containsExactly("X-Off", "X-On");
    assertThat(stored().activeHeaders()).extracting(HttpHeader::key).containsExactly("X-On");
  }

  @Test
  void updatesHeaderFoundIgnoringCaseAndMayRenameIt() {
    addHeader(OWNER, d.id(), HttpHeader.of("X-Team", "a"));

    updateHeader(OWNER, d.id(), "x-team", new HttpHeader("X-Squad", "b", false));

    assertThat(stored().headers()).containsExactly(new HttpHeader("X-Squad", "b", false));
  }

  @Test
  void rejectsRenamingHeaderToAnotherHeadersKey() {
    addHeader(OWNER, d.id(), HttpHeader.of("X-A", "a"));
    addHeader(OWNER, d.id(), HttpHeader.of("X-B", "b"));

    assertThatThrownBy(() -> updateHeader(OWNER, d.id(), "X-A", HttpHeader.of("x-b", "c")))
        .isInstanceOf(ValidationException.class);
    assertThat(stored().headers()).extracting(HttpHeader::key).containsExactly("X-A", "X-B");
  }

  @Test
  void removesHeaderAndReportsUnknownKeyAsNotFound() {
    addHeader(OWNER, d.id(), HttpHeader.of("X-A", "a"));

    removeHeader(OWNER, d.id(), "x-a");

    assertThat(stored().headers()).isEmpty();
    assertThatThrownBy(() -> removeHeader(OWNER, d.id(), "X-A"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("X-A");
    assertThatThrownBy(() -> updateHeader(OWNER, d.id(), "X-Nope", HttpHeader.of("X-Nope", "v")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void rejectsHeaderChangesOnNonHttpDestination() {
    Destination c = f.createCustom();

    assertThatThrownBy(() -> addHeader(OWNER, c.id(), HttpHeader.of("X-A", "a")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"));
    assertThatThrownBy(() -> updateHeader(OWNER, c.id(), "X-A", HttpHeader.of("X-A", "a")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> removeHeader(OWNER, c.id(), "X-A"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void toldDeliverySideAboutHeaderChange() {
    Destination changed = addHeader(OWNER, d.id(), HttpHeader.of("X-A", "a"));

    assertThat(f.delivery.saved).last().extracting(Destination::redacted).isEqualTo(changed);
  }
}
