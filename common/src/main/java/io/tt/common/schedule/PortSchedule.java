package io.tt.common.schedule;

import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which server port belongs to which time slot (PROTOCOL.md section 3).
 *
 * <p>slot = floor(unix seconds / slot length); v = HOTP31(K_port, slot); port = start + v mod N;
 * lifetime = 1 + (v div N) mod 15. The port of slot s is open during slots [s - 1, s + lifetime], so a
 * client whose clock is one slot ahead or behind still finds its port.
 */
public final class PortSchedule {

  public static final int MAX_LIFETIME = 15;

  private final Hotp hotp;
  private final PortRange range;
  private final long slotMillis;

  public PortSchedule(byte[] portKey, PortRange range, int slotSeconds) {
    if (slotSeconds < 1) {
      throw new IllegalArgumentException("slot length must be at least 1 second");
    }
    this.hotp = new Hotp(portKey);
    this.range = range;
    this.slotMillis = slotSeconds * 1000L;
  }

  public record Entry(long slot, int port, int lifetime) {
    /** First slot in which the port is bound. */
    public long openFrom() {
      return slot - 1;
    }

    /** Last slot in which the port is bound. */
    public long openUntil() {
      return slot + lifetime;
    }
  }

  public long slotAt(long millis) {
    return Math.floorDiv(millis, slotMillis);
  }

  public long slotStartMillis(long slot) {
    return slot * slotMillis;
  }

  public long slotMillis() {
    return slotMillis;
  }

  public PortRange range() {
    return range;
  }

  /** The few slots around now, memoised: every new tunnel asks for them, and an HMAC each time adds up. */
  private final AtomicReferenceArray<Entry> recent = new AtomicReferenceArray<>(8);

  public Entry entry(long slot) {
    int i = (int) (slot & 7);
    Entry e = recent.get(i);
    if (e != null && e.slot() == slot) {
      return e;
    }
    e = compute(slot);
    recent.set(i, e);
    return e;
  }

  private Entry compute(long slot) {
    long v = hotp.truncated(slot) & 0xffffffffL;
    int n = range.size();
    int port = (int) (range.start() + v % n);
    int lifetime = (int) (1 + (v / n) % MAX_LIFETIME);
    return new Entry(slot, port, lifetime);
  }

  /** The port a client dials in the given slot. */
  public int portFor(long slot) {
    return entry(slot).port();
  }

  /** The ports every schedule (one per accepted key) keeps bound during {@code slot}: the union. */
  public static TreeMap<Integer, Long> openPorts(java.util.List<PortSchedule> schedules, long slot) {
    TreeMap<Integer, Long> open = new TreeMap<>();
    for (PortSchedule s : schedules) {
      s.openPorts(slot).forEach((port, until) -> open.merge(port, until, Math::max));
    }
    return open;
  }

  /**
   * The ports the server keeps bound during {@code slot}, each with the last slot it must stay bound
   * (the latest over all slots that map to it).
   */
  public TreeMap<Integer, Long> openPorts(long slot) {
    TreeMap<Integer, Long> open = new TreeMap<>();
    for (long s = slot - MAX_LIFETIME; s <= slot + 1; s++) {
      Entry e = entry(s);
      if (e.openFrom() <= slot && slot <= e.openUntil()) {
        open.merge(e.port(), e.openUntil(), Math::max);
      }
    }
    return open;
  }
}
