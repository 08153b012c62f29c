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
  private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  UnauthenticatedLimiter(int total, int perAddress) {
    this.total = total;
    this.perAddress = perAddress;
  }

  Verdict tryAcquire(String address) {
    if (count.incrementAndGet() > total) {
      count.decrementAndGet();
      return Verdict.TOTAL_LIMIT;
    }
    AtomicInteger n = byAddress.computeIfAbsent(address, a -> new AtomicInteger());
    if (n.incrementAndGet() > perAddress) {
      release(address);
      return Verdict.PER_ADDRESS_LIMIT;
    }
    return Verdict.OK;
  }

  void release(String address) {
    count.decrementAndGet();
    byAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  int current() {
    return count.get();
  }
}
