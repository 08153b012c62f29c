package io.tt.common.wire;

import java.util.HashSet;
import java.util.Set;

/**
 * Exact salt store for one process: two generations of a concurrent set, swapped every {@code retention}.
 *
 * <p>A salt is remembered for at least {@code retention} and at most twice that; no false positives (whole
 * 32-byte salts are compared). Only salts of connections whose first header authenticated are recorded, so a
 * flood of random bytes cannot fill it; a flood by a key holder hits {@code capacity} and is refused.
 */
public final class LocalReplayFilter implements ReplayFilter {

  private record Salt(long a, long b, long c, long d) {
    static Salt of(byte[] s) {
      return new Salt(word(s, 0), word(s, 8), word(s, 16), word(s, 24));
    }

    private static long word(byte[] s, int off) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (s[off + i] & 0xffL);
      }
      return v;
    }
  }

  private final long retentionMillis;
  private final int capacity;
  private Set<Salt> current = new HashSet<>();
  private Set<Salt> previous = new HashSet<>();
  private long generationStart = Long.MIN_VALUE;

  public LocalReplayFilter(long retentionMillis, int capacity) {
    this.retentionMillis = retentionMillis;
    this.capacity = capacity;
  }

  /** Synchronized: one short critical section per new tunnel, shared by all event loops; exactness first. */
  @Override
  public synchronized Verdict checkAndRecord(byte[] salt, long nowMillis) {
    rotateIfDue(nowMillis);
    Salt key = Salt.of(salt);
    if (previous.contains(key) || current.contains(key)) {
      return Verdict.REPLAY;
    }
    if (previous.size() + current.size() >= capacity) {
      return Verdict.FULL;
    }
    current.add(key);
    return Verdict.FRESH;
  }

  private void rotateIfDue(long now) {
    if (generationStart == Long.MIN_VALUE) {
      generationStart = now;
      return;
    }
    if (now - generationStart < retentionMillis) {
      return;
    }
    // If a whole extra period passed with no traffic, both generations are stale.
    previous = now - generationStart >= 2 * retentionMillis ? new HashSet<>() : current;
    current = new HashSet<>();
    generationStart = now;
  }

  @Override
  public synchronized int size() {
    return previous.size() + current.size();
  }
}
