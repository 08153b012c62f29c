package io.tt.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnauthenticatedLimiterTest {

  @Test
  void capsPerAddressAndInTotal() {
    UnauthenticatedLimiter l = new UnauthenticatedLimiter(5, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(UnauthenticatedLimiter.Verdict.OK, l.tryAcquire("a"));
    }
    // Over its address's cap: on probation, counted in the total only.
    assertEquals(UnauthenticatedLimiter.Verdict.PROBATION, l.tryAcquire("a"));
    assertEquals(UnauthenticatedLimiter.Verdict.OK, l.tryAcquire("b"));
    assertEquals(UnauthenticatedLimiter.Verdict.TOTAL_LIMIT, l.tryAcquire("c"));
    l.release("a", true);
    assertEquals(UnauthenticatedLimiter.Verdict.OK, l.tryAcquire("c"));
    assertEquals(UnauthenticatedLimiter.Verdict.TOTAL_LIMIT, l.tryAcquire("d"));
    l.release("a", false);
    assertEquals(UnauthenticatedLimiter.Verdict.OK, l.tryAcquire("a"));
    l.release("c", false);
    assertEquals(UnauthenticatedLimiter.Verdict.PROBATION, l.tryAcquire("a"), "a is at its cap again");
    l.release("a", true);
    assertEquals(4, l.current());
  }

  /** Acquires and releases from several threads at once never lose a count. */
  @Test
  @Timeout(30)
  void exactUnderContention() throws Exception {
    int threads = 4;
    // Each thread holds at most one at a time, so a per-address cap of `threads` is never exceeded.
    UnauthenticatedLimiter l = new UnauthenticatedLimiter(1_000_000, threads);
    int rounds = 200_000;
    CountDownLatch go = new CountDownLatch(1);
    Thread[] ts = new Thread[threads];
    AtomicInteger failures = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      ts[t] = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < rounds; i++) {
          if (l.tryAcquire("same") != UnauthenticatedLimiter.Verdict.OK) {
            failures.incrementAndGet();
          }
          l.release("same", false);
        }
      });
      ts[t].start();
    }
    go.countDown();
    for (Thread t : ts) {
      t.join();
    }
    assertEquals(0, failures.get());
    assertEquals(0, l.current());
    // The per-address count is back to exactly zero: `threads` fit again, one more does not.
    for (int i = 0; i < threads; i++) {
      assertEquals(UnauthenticatedLimiter.Verdict.OK, l.tryAcquire("same"));
    }
    assertEquals(UnauthenticatedLimiter.Verdict.PROBATION, l.tryAcquire("same"));
  }
}
