package io.tt.server.tun;

/**
 * How many datagrams of unknown sessions the server tries its keys on per second. Trying costs a key derivation
 * and a cipher per (key, method); a flood of garbage must not turn into a flood of that work. A token bucket:
 * {@code perSecond} tokens a second, bursts up to one second's worth. Used on one thread.
 */
final class TrialBudget {

  private final double perMilli;
  private final double burst;
  private double tokens;
  private long lastMillis;

  TrialBudget(int perSecond) {
    this.perMilli = perSecond / 1000.0;
    this.burst = perSecond;
    this.tokens = perSecond;
  }

  boolean take(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * perMilli);
      lastMillis = nowMillis;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
