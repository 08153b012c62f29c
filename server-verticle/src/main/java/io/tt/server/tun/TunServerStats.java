package io.tt.server.tun;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Counters of the server's TUN mode; drops are counted by reason instead of logged. */
public final class TunServerStats {

  public final LongAdder datagramsIn = new LongAdder();
  public final LongAdder datagramsOut = new LongAdder();
  public final LongAdder packetsToTun = new LongAdder();
  public final LongAdder packetsFromTun = new LongAdder();
  public final LongAdder sessionsOpened = new LongAdder();
  public final LongAdder streamsOpened = new LongAdder();
  private final Map<TunDrop, LongAdder> drops = new EnumMap<>(TunDrop.class);

  public TunServerStats() {
    for (TunDrop d : TunDrop.values()) {
      drops.put(d, new LongAdder());
    }
  }

  void drop(TunDrop why) {
    drops.get(why).increment();
  }

  /** Drops so far for a reason name (see TunDrop), for tests and metrics. */
  public long drops(String reason) {
    return drops.get(TunDrop.valueOf(reason)).sum();
  }

  /** "replayed=3 no_route=1", the non-zero drop counters. */
  public String dropSummary() {
    return drops.entrySet().stream().filter(e -> e.getValue().sum() > 0)
        .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue().sum())
        .collect(Collectors.joining(" "));
  }
}
