package io.tt.common.tun;

import io.tt.common.config.TunConfig;

/** Opens the TUN device for a config: the system's ({@link #SYSTEM}), or an in-memory one in tests. */
@FunctionalInterface
public interface TunDeviceOpener {

  /** The platform's device (Linux /dev/net/tun, macOS utun), addressed as configured. */
  TunDeviceOpener SYSTEM = tun -> TunSetup.open(tun.address(), tun.mtu());

  TunDevice open(TunConfig tun) throws TunException;
}
