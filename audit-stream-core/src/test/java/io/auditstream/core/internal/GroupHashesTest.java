package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of active groups' hashes that the host's thread looks at. */
class GroupHashesTest {
  @Test
  void findsTheHashOfEveryPathOfItsSetAndNoOther() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      paths.add("group-" + i);
    }
    GroupHashes hashes = GroupHashes.of(paths);

    for (String p : paths) {
      assertThat(hashes.mayContain(p.hashCode())).as(p).isTrue();
    }
    for (int i = 1000; i < 3000; i++) {
      assertThat(hashes.mayContain(("group-" + i).hashCode())).isFalse();
    }
  }

  @Test
  void anEmptySetHoldsNothing() {
    GroupHashes none = GroupHashes.of(Set.of());
    assertThat(none.mayContain("acme".hashCode())).isFalse();
    assertThat(none.mayContain(0)).isFalse();
  }

  @Test
  void aPathWhoseHashIsZeroIsFound() {
    String zero = "f5a5a608";
    assertThat(zero.hashCode()).isZero();

    assertThat(GroupHashes.of(Set.of(zero, "acme")).mayContain(0)).isTrue();
    assertThat(GroupHashes.of(Set.of("acme")).mayContain(0)).isFalse();
  }
}
