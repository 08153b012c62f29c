package io.tt.server.tun;

import io.tt.common.config.ServerConfig;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import io.tt.server.ServerKeys;


/** {@code --no-port-jump-on-tun-mode}: the server stays on the first port of the range (PROTOCOL.md section 3). */
public final class TunPorts {

  private TunPorts() {
  }

  /**
   * The keys to serve with: as derived, or, in TUN mode without port jumps, with schedules that map every slot
   * to the first port of the range (for TCP and UDP alike).
   */
  public static ServerKeys forConfig(ServerConfig cfg, ServerKeys keys) {
    if (cfg.tun() == null || cfg.tun().portJump()) {
      return keys;
    }
    return new ServerKeys(keys.accepted(), keys.schedules().stream().map(TunPorts::pinned).toList(), keys.windowMillis());
  }

  /** A schedule over the one-port range {@code start-start}: every slot maps to it. */
  public static PortSchedule pinned(PortSchedule s) {
    int start = s.range().start();
    return new PortSchedule(new byte[32], new PortRange(start, start), (int) (s.slotMillis() / 1000));
  }
}
