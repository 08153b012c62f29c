package io.tt.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps connections that have not authenticated (still in their handshake, or being served the fake site), in
 * total and per source address, so a flood of probes cannot take the server's memory. Authenticated tunnels do
 * not count. Shared by all event loops.
 */
final class UnauthenticatedLimiter {

  enum Verdict { OK, PER_ADDRESS_LIMIT, TOTAL_LIMIT }

  private final int total;
  private final int perAddress;
  private final AtomicInteger count = new AtomicInteger();
  /** Counts per address, changed only inside compute() so an increment never races a removal. */
  private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();

  UnauthenticatedLimiter(int total, int perAddress) {
    this.total = total;
    this.perAddress = perAddress;
  }

  Verdict tryAcquire(String address) {
    if (count.incrementAndGet() > total) {
      count.decrementAndGet();
      return Verdict.TOTAL_LIMIT;
    }
    boolean[] over = new boolean[1];
    byAddress.compute(address, (a, n) -> {
      int next = n == null ? 1 : n + 1;
      if (next > perAddress) {
        over[0] = true;
        return n;
      }
      return next;
    });
    if (over[0]) {
      count.decrementAndGet();
      return Verdict.PER_ADDRESS_LIMIT;
    }
    return Verdict.OK;
  }

  void release(String address) {
    count.decrementAndGet();
    byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  int current() {
    return count.get();
  }
}
