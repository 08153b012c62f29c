package io.tt.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps connections that have not authenticated (still in their handshake, or being served the fake site), in
 * total and per source address, so a flood of probes cannot take the server's memory. Authenticated tunnels do
 * not count. Shared by all event loops.
 *
 * <p>One address over its cap is not refused outright: a TT client opening a burst of tunnels (a browser's page,
 * a download manager) has many connections accepted before their first bytes are read, and each of those
 * authenticates with its first segment. Such a connection is counted in the total only and goes on probation
 * (see {@link InboundTunnel}): it may authenticate at once, and is otherwise closed without a word.
 */
final class UnauthenticatedLimiter {

  enum Verdict {
    OK,
    /** Over the address's cap: counted in the total only; release with {@code probation = true}. */
    PROBATION,
    TOTAL_LIMIT
  }

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
    return over[0] ? Verdict.PROBATION : Verdict.OK;
  }

  void release(String address, boolean probation) {
    count.decrementAndGet();
    if (!probation) {
      byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  int current() {
    return count.get();
  }
}
