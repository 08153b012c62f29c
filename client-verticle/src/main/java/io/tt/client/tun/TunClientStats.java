package io.tt.client.tun;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Counters of the client's TUN mode. */
public final class TunClientStats {

  public final LongAdder packetsUp = new LongAdder();
  public final LongAdder packetsDown = new LongAdder();
  public final LongAdder reconnects = new LongAdder();
  public final LongAdder portJumps = new LongAdder();
  private final Map<ClientDrop, LongAdder> drops = new EnumMap<>(ClientDrop.class);

  public TunClientStats() {
    for (ClientDrop d : ClientDrop.values()) {
      drops.put(d, new LongAdder());
    }
  }

  void drop(ClientDrop why) {
    drops.get(why).increment();
  }

  public long drops(String reason) {
    return drops.get(ClientDrop.valueOf(reason)).sum();
  }

  public String dropSummary() {
    return drops.entrySet().stream().filter(e -> e.getValue().sum() > 0)
        .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue().sum())
        .collect(Collectors.joining(" "));
  }
}
