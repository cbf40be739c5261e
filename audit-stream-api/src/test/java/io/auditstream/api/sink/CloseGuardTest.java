package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloseGuardTest {
  private final CloseGuard guard = new CloseGuard();

  @Test
  void anOpenGuardLetsRequestsThrough() {
    assertThat(guard.isClosed()).isFalse();
    assertThatCode(() -> guard.checkOpen("destination host audit.example.com")).doesNotThrowAnyException();
    assertThatCode(() -> guard.checkNotClosedDuring("destination host audit.example.com")).doesNotThrowAnyException();
  }

  @Test
  void aClosedGuardRefusesRequestsRetryablyNamingTheDestination() {
    guard.markClosed();

    assertThat(guard.isClosed()).isTrue();
    assertThatThrownBy(() -> guard.checkOpen("destination host audit.example.com"))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessage("sink of destination host audit.example.com is closed");
    assertThatThrownBy(() -> guard.checkNotClosedDuring("S3 bucket acme-audit in eu-central-1"))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessage("sink of S3 bucket acme-audit in eu-central-1 was closed during the request");
  }

  @Test
  void onlyTheFirstCloseIsReportedAsSuch() {
    assertThat(guard.markClosed()).isTrue();
    assertThat(guard.markClosed()).isFalse();
    assertThat(guard.isClosed()).isTrue();
    assertThat(guard).hasToString("CloseGuard{closed=true}");
  }

  @Test
  void exactlyOneOfManyConcurrentClosesIsTheFirst() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await(5, TimeUnit.SECONDS);
          return guard.markClosed();
        }));
      }
      start.countDown();
      int first = 0;
      for (Future<Boolean> r : results) {
        first += r.get(5, TimeUnit.SECONDS) ? 1 : 0;
      }

      assertThat(first).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
