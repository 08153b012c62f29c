package io.tt.client.tun;

import io.tt.client.ClientKeys;
import io.tt.common.config.ClientConfig;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;

/** {@code --no-port-jump-on-tun-mode}: the client dials the first port of the range only, as the server listens. */
public final class TunClientPorts {

  private TunClientPorts() {
  }

  /** The keys to dial with: as derived, or with a schedule pinned to the range's first port. */
  public static ClientKeys forConfig(ClientConfig cfg, ClientKeys keys) {
    if (cfg.tun() == null || cfg.tun().portJump()) {
      return keys;
    }
    PortSchedule s = keys.schedule();
    int start = s.range().start();
    return new ClientKeys(keys.key(), keys.method(),
        new PortSchedule(new byte[32], new PortRange(start, start), (int) (s.slotMillis() / 1000)));
  }
}
